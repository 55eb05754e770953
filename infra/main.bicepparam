// Parameters of one installation. Secrets come from the environment of whoever deploys
// (never from this file): see infra/README.md.
using 'main.bicep'

param name = 'huurinc'
param planSku = 'EP1'
param storagePrefix = ''

param corporation = {
  name: 'Woonstichting Voorbeeld'
  street: 'Voorbeeldlaan 1'
  postalCode: '3511 AA'
  city: 'Utrecht'
  phone: '030 000 00 00'
  email: 'huurincasso@voorbeeld.example'
  iban: 'NL91ABNA0417164300'
  website: 'https://voorbeeld.example'
}

param mailFrom = 'huurincasso@voorbeeld.example'
param mailFromName = 'Woonstichting Voorbeeld'

param entraTenantId = '00000000-0000-0000-0000-000000000000'
param entraClientId = '00000000-0000-0000-0000-000000000000'

param ledgerSchedule = '0 6 5 * *'
param segmentationSchedule = '0 2 * * *'

param pdfSharpLicense = readEnvironmentVariable('HUURINCASSO_PDFSHARP_LICENSE', '')
param sendGridApiKey = readEnvironmentVariable('HUURINCASSO_SENDGRID_API_KEY', '')
param bankWebhookSecret = readEnvironmentVariable('HUURINCASSO_BANK_WEBHOOK_SECRET', '')
param entraClientSecret = readEnvironmentVariable('HUURINCASSO_ENTRA_CLIENT_SECRET', '')
