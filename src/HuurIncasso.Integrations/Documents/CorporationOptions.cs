using System.ComponentModel.DataAnnotations;
using HuurIncasso.Domain.Payments;
using Microsoft.Extensions.Options;

namespace HuurIncasso.Integrations.Documents;

/// <summary>
/// Who sends the letters and mails: the corporation's name, address, account and contact
/// details, printed in every letter. No defaults: a letter with a made-up IBAN is worse than
/// a host that does not start.
/// </summary>
public sealed class CorporationOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Corporation";

    [Required(ErrorMessage = "Corporation:Name is required (the name printed in letters and mails).")]
    public string Name { get; set; } = "";

    /// <summary>Street and number of the return address.</summary>
    [Required(ErrorMessage = "Corporation:Street is required (the return address in letters).")]
    public string Street { get; set; } = "";

    [Required(ErrorMessage = "Corporation:PostalCode is required (the return address in letters).")]
    public string PostalCode { get; set; } = "";

    [Required(ErrorMessage = "Corporation:City is required (the return address in letters).")]
    public string City { get; set; } = "";

    /// <summary>The account tenants pay to.</summary>
    [Required(ErrorMessage = "Corporation:Iban is required (the account tenants pay to).")]
    public string Iban { get; set; } = "";

    [Required(ErrorMessage = "Corporation:Phone is required (tenants are asked to call).")]
    public string Phone { get; set; } = "";

    [Required(ErrorMessage = "Corporation:Email is required (tenants may answer by mail).")]
    public string Email { get; set; } = "";

    public string Website { get; set; } = "";

    /// <summary>A PNG or JPEG printed top right in letters; relative to the executable's folder. Empty: no logo.</summary>
    public string LogoPath { get; set; } = "";

    /// <summary><see cref="LogoPath"/> made absolute.</summary>
    public string LogoFullPath => Path.IsPathRooted(LogoPath) ? LogoPath : Path.Combine(AppContext.BaseDirectory, LogoPath);
}

/// <summary>Checks what data annotations cannot: the IBAN's check digits.</summary>
public sealed class CorporationOptionsValidator : IValidateOptions<CorporationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CorporationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.Iban) && !Iban.IsValid(options.Iban))
        {
            return ValidateOptionsResult.Fail($"Corporation:Iban '{options.Iban}' is not a valid IBAN: {Iban.Check(options.Iban).Reason}.");
        }

        if (!string.IsNullOrWhiteSpace(options.LogoPath) && !File.Exists(options.LogoFullPath))
        {
            return ValidateOptionsResult.Fail($"Corporation:LogoPath points to {options.LogoFullPath}, which does not exist.");
        }

        return ValidateOptionsResult.Success;
    }
}
