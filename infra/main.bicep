// HuurIncasso on Azure: a Linux Function App (Elastic Premium) running the huurincasso executable
// as a custom handler, its storage account, Key Vault for the secrets, Application Insights, and
// Easy Auth with Entra ID in front of the UI and API. Deploy with main.bicepparam (infra/README.md).

targetScope = 'resourceGroup'

@description('Azure region of every resource.')
param location string = resourceGroup().location

@description('Short name, lower-case letters and digits; resource names are made from it.')
@minLength(3)
@maxLength(11)
param name string

@description('Elastic Premium size. EP1 is enough for one corporation; it keeps one instance warm, so the UI answers at once.')
@allowed(['EP1', 'EP2', 'EP3'])
param planSku string = 'EP1'

@description('Most instances the plan may scale out to.')
@minValue(1)
@maxValue(20)
param maximumInstances int = 3

@description('Put in front of every table, queue and container name (Storage:Prefix); publish with the same value.')
param storagePrefix string = ''

@description('The corporation as it appears on every letter and mail (Corporation:*).')
param corporation object

@description('PDFsharp licence choice (Documents:PdfSharpLicense): AGPL only for an AGPL-licensed installation, else a commercial key.')
@secure()
param pdfSharpLicense string

@description('Verified SendGrid sender (Mail:From) and the name tenants see (Mail:FromName).')
param mailFrom string
param mailFromName string = ''

@description('SendGrid API key; stored in Key Vault, the app reads it through a Key Vault reference.')
@secure()
param sendGridApiKey string

@description('Standard Webhooks secret of the bank feed (whsec_...); stored in Key Vault.')
@secure()
param bankWebhookSecret string

@description('Entra ID tenant and the app registration that signs users in (Easy Auth) and whose app roles (consultant, teamlead, admin) the app checks.')
param entraTenantId string
param entraClientId string

@description('Client secret of that app registration, for Easy Auth; stored in Key Vault.')
@secure()
param entraClientSecret string

@description('Schedules of the scheduled jobs (cron, Europe/Amsterdam); publish with the same values, the app checks at start.')
param ledgerSchedule string = '0 6 5 * *'
param segmentationSchedule string = '0 2 * * *'

var suffix = uniqueString(resourceGroup().id, name)
var storageName = take('${name}st${suffix}', 24)
var vaultName = take('${name}-kv-${suffix}', 24)
var contentShare = '${name}-content'

// Built-in role definitions (ids are the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Only the Premium plan's content share (Azure Files) uses the account key; the app and the triggers use the managed identity.
    allowSharedKeyAccess: true
    defaultToOAuthAuthentication: true
    accessTier: 'Hot'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: true, days: 30 }
    containerDeleteRetentionPolicy: { enabled: true, days: 30 }
  }
}

// The app creates its own tables, queues and containers at start (with the prefix); these are
// declared too so that a deployment shows everything that will exist, and nothing is public.
resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in ['imports', 'documents', 'payloads', 'mailcapture', 'locks']: {
  parent: blobService
  name: '${storagePrefix}${container}'
  properties: { publicAccess: 'None' }
}]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queue in ['inbox', 'inbox-poison', 'effects']: {
  parent: queueService
  name: '${storagePrefix}${queue}'
}]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for table in ['cases', 'timers', 'sentmail', 'tenants', 'contracts', 'bankentries', 'payments', 'unknownpayments']: {
  parent: tableService
  name: '${storagePrefix}${table}'
}]

resource fileService 'Microsoft.Storage/storageAccounts/fileServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource share 'Microsoft.Storage/storageAccounts/fileServices/shares@2023-05-01' = {
  parent: fileService
  name: contentShare
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${name}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 90
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${name}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: false
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource sendGridSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'sendgrid-api-key'
  properties: { value: sendGridApiKey }
}

resource webhookSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'bank-webhook-secret'
  properties: { value: bankWebhookSecret }
}

resource entraSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'entra-client-secret'
  properties: { value: entraClientSecret }
}

resource pdfSharpSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'pdfsharp-license'
  properties: { value: pdfSharpLicense }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${name}-plan'
  location: location
  kind: 'elastic'
  sku: { name: planSku, tier: 'ElasticPremium' }
  properties: {
    reserved: true
    maximumElasticWorkerCount: maximumInstances
  }
}

resource app 'Microsoft.Web/sites@2023-12-01' = {
  name: '${name}-${suffix}'
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      // The package brings a self-contained linux-x64 executable; the stack only picks the image.
      linuxFxVersion: 'DOTNET|8.0'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      preWarmedInstanceCount: 1
      functionAppScaleLimit: maximumInstances
      appSettings: [
        // The Functions platform.
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
        { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'custom' }
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING', value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};EndpointSuffix=${environment().suffixes.storage};AccountKey=${storage.listKeys().keys[0].value}' }
        { name: 'WEBSITE_CONTENTSHARE', value: contentShare }
        { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
        { name: 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET', value: '@Microsoft.KeyVault(SecretUri=${entraSecret.properties.secretUri})' }
        // Read by the timer triggers and checked by the app at start: the jobs' cron is Amsterdam time.
        { name: 'WEBSITE_TIME_ZONE', value: 'Europe/Amsterdam' }
        // The app (huurincasso), with the managed identity for storage.
        { name: 'Storage__TableEndpoint', value: storage.properties.primaryEndpoints.table }
        { name: 'Storage__QueueEndpoint', value: storage.properties.primaryEndpoints.queue }
        { name: 'Storage__BlobEndpoint', value: storage.properties.primaryEndpoints.blob }
        { name: 'Storage__Prefix', value: storagePrefix }
        { name: 'Auth__EasyAuth__Enabled', value: 'true' }
        { name: 'Auth__Entra__TenantId', value: entraTenantId }
        { name: 'Auth__Entra__Audience', value: 'api://${entraClientId}' }
        { name: 'Bank__WebhookSecrets__0', value: '@Microsoft.KeyVault(SecretUri=${webhookSecret.properties.secretUri})' }
        { name: 'Mail__SendGridApiKey', value: '@Microsoft.KeyVault(SecretUri=${sendGridSecret.properties.secretUri})' }
        { name: 'Mail__From', value: mailFrom }
        { name: 'Mail__FromName', value: mailFromName }
        { name: 'Documents__PdfSharpLicense', value: '@Microsoft.KeyVault(SecretUri=${pdfSharpSecret.properties.secretUri})' }
        { name: 'Corporation__Name', value: corporation.name }
        { name: 'Corporation__Street', value: corporation.street }
        { name: 'Corporation__PostalCode', value: corporation.postalCode }
        { name: 'Corporation__City', value: corporation.city }
        { name: 'Corporation__Phone', value: corporation.phone }
        { name: 'Corporation__Email', value: corporation.email }
        { name: 'Corporation__Iban', value: corporation.iban }
        { name: 'Corporation__Website', value: corporation.website }
        { name: 'Ledger__Schedule', value: ledgerSchedule }
        { name: 'Segmentation__Schedule', value: segmentationSchedule }
      ]
    }
  }
}

// Easy Auth: everyone signs in with Entra ID, except the bank (signed webhook) and the health probe.
resource auth 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: { enabled: true }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      excludedPaths: ['/api/bank/webhook', '/health']
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: entraClientId
          clientSecretSettingName: 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET'
          openIdIssuer: '${environment().authentication.loginEndpoint}${entraTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: ['api://${entraClientId}', entraClientId]
        }
      }
    }
    login: {
      tokenStore: { enabled: true }
    }
  }
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]: {
  scope: storage
  name: guid(storage.id, app.id, role)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}]

resource vaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, app.id, roles.keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

output functionAppName string = app.name
output hostName string = app.properties.defaultHostName
output storageAccountName string = storage.name
output keyVaultName string = vault.name
