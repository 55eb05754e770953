using System.Globalization;
using System.Security.Claims;
using HuurIncasso.Domain.Cases;
using HuurIncasso.Domain.Policies;
using HuurIncasso.Host.Security;
using HuurIncasso.Host.Workspace;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace HuurIncasso.Host.Web;

/// <summary>
/// The form posts of the web pages: log in and out, and the commands. Each checks the
/// antiforgery token, then redirects back to a page with a short message (post/redirect/get).
/// </summary>
internal static partial class WorkspaceUi
{
    public static void MapWorkspaceUi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/login", LoginAsync).AllowAnonymous().DisableAntiforgery();
        app.MapPost("/uitloggen", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest();
            }

            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.LocalRedirect("/inloggen");
        }).DisableAntiforgery();
        app.MapPost("/zaken/{caseId}/{kind}", CommandAsync).RequireAuthorization(Roles.WorkCases).DisableAntiforgery();
        app.MapPost("/zaken/{caseId}/effecten/{effectId}/opnieuw", RetryEffectAsync).RequireAuthorization(Roles.Administer).DisableAntiforgery();
        app.MapPost("/betalingen/onbekend/{id}/toewijzen", AssignPaymentAsync).RequireAuthorization(Roles.WorkCases).DisableAntiforgery();
    }

    // The pages read a short message from these query keys (post/redirect/get).
    private const string Notice = "melding";
    private const string Failed = "fout";
    private const string FormExpired = "Het formulier is verlopen. Probeer het opnieuw.";

    private static IResult Back(string page, string key, string text) => Results.LocalRedirect($"{page}?{key}={Uri.EscapeDataString(text)}");

    private static async Task<IResult> LoginAsync(HttpContext http, IAntiforgery antiforgery, LocalUserDirectory users)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Results.LocalRedirect("/inloggen?fout=verlopen");
        }

        var form = await http.Request.ReadFormAsync();
        var user = users.Verify(form["naam"], form["wachtwoord"]);
        if (user is null)
        {
            return Results.LocalRedirect("/inloggen?fout=onjuist");
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, user.Name), new(ClaimTypes.NameIdentifier, user.Name) };
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme)));
        var returnUrl = form["terug"].ToString();
        return Results.LocalRedirect(!string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/");
    }

    private static async Task<IResult> AssignPaymentAsync(string id, HttpContext http, IAntiforgery antiforgery, Inputs.BankFeedService bank)
    {
        const string back = "/betalingen/onbekend";
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Back(back, Failed, FormExpired);
        }

        var form = await http.Request.ReadFormAsync();
        // A suggested contract's button wins over the typed number: it is what the person clicked.
        var contract = Text(form["kandidaat"]) ?? Text(form["contract"]);
        if (contract is null)
        {
            return Back(back, Failed, "Vul het contractnummer in waar de betaling bij hoort.");
        }

        try
        {
            var assigned = await bank.AssignAsync(id, contract, CurrentUser.From(http.User).DisplayName, http.RequestAborted);
            var text = assigned is null
                ? "Deze betaling staat niet (meer) in de lijst."
                : $"Betaling van {Dutch.Euro(assigned.Amount)} toegewezen aan contract {contract}. Ze telt nu mee zoals elke betaling.";
            return Back(back, assigned is null ? Failed : Notice, text);
        }
        catch (InvalidOperationException ex)
        {
            return Back(back, Failed, ex.Message);
        }
    }

    private static async Task<IResult> RetryEffectAsync(
        string caseId, string effectId, HttpContext http, IAntiforgery antiforgery,
        HuurIncasso.Engine.CaseClient<HuurIncasso.Domain.Cases.CaseState, HuurIncasso.Domain.Cases.CaseMessage, HuurIncasso.Domain.Cases.CaseEvent> cases,
        ILoggerFactory loggers)
    {
        var back = $"/zaken/{Uri.EscapeDataString(caseId)}";
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Back(back, Failed, FormExpired);
        }

        try
        {
            var effect = await cases.RetryEffectAsync(caseId, effectId, http.RequestAborted);
            if (effect is null)
            {
                return Back(back, Failed, "Dit bericht hoort niet bij deze zaak.");
            }

            // Who offered it again belongs in the log that IT reads; the effect itself keeps no person.
            var logger = loggers.CreateLogger("HuurIncasso.Workspace");
            var by = CurrentUser.From(http.User).Id;
            var status = effect.Status.ToString();
            LogEffectRetried(logger, caseId, effectId, effect.Kind, by, status);
            var text = effect.Status == HuurIncasso.Engine.EffectStatus.Done
                ? "Het bericht is opnieuw aangeboden en nu verstuurd."
                : $"Het bericht is opnieuw aangeboden, maar het lukte weer niet: {effect.LastError}. Het systeem probeert het later nog eens.";
            return Back(back, effect.Status == HuurIncasso.Engine.EffectStatus.Done ? Notice : Failed, text);
        }
        catch (InvalidOperationException)
        {
            return Back(back, Failed, "Dit bericht is niet mislukt: het is al verstuurd of het systeem probeert het nog.");
        }
    }

    private static async Task<IResult> CommandAsync(string caseId, string kind, HttpContext http, IAntiforgery antiforgery, CaseCommands commands)
    {
        var back = $"/zaken/{Uri.EscapeDataString(caseId)}";
        // A form on another page (the approvals queue) may ask to come back there; only local paths.
        if (http.Request.HasFormContentType && (await http.Request.ReadFormAsync()).TryGetValue("terug", out var terug)
            && terug.ToString() is { Length: > 1 } local && local.StartsWith('/') && !local.StartsWith("//", StringComparison.Ordinal) && !local.Contains('\\', StringComparison.Ordinal))
        {
            back = local;
        }

        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Back(back, Failed, FormExpired);
        }

        var form = await http.Request.ReadFormAsync();
        CommandRequest request;
        try
        {
            request = new CommandRequest
            {
                CommandId = form["commandId"].ToString(),
                Reached = Bool(form["reached"]),
                Met = Bool(form["met"]),
                AdviceGiven = Bool(form["adviceGiven"]) ?? false,
                PointedToDebtCounselling = Bool(form["pointedToDebtCounselling"]) ?? false,
                Ability = Enum<Ability>(form["ability"]),
                Willingness = Enum<Willingness>(form["willingness"]),
                Note = Text(form["note"]),
                Instalments = string.IsNullOrEmpty(form["instalments"]) ? null : int.Parse(form["instalments"].ToString(), CultureInfo.InvariantCulture),
                FirstDueDate = Date(form["firstDueDate"]),
                PauseKind = Enum<PauseKind>(form["pauseKind"]),
                Until = Date(form["until"]),
                StepId = Text(form["stepId"]),
                Reason = Text(form["reason"]),
                PromiseToPayOn = Date(form["promiseToPayOn"]),
            };
        }
        catch (FormatException)
        {
            return Back(back, Failed, "Een getal of datum in het formulier klopt niet.");
        }

        var result = await commands.ExecuteAsync(caseId, kind, request, CurrentUser.From(http.User), http.RequestAborted);
        var text = result.Status switch
        {
            CommandStatus.Done when result.Schedule is { Count: > 0 } s =>
                $"Regeling vastgelegd: {s.Count} termijnen, de eerste van {Dutch.Euro(s[0].Amount)} op {Dutch.Date(s[0].DueDate)}.",
            CommandStatus.Done => $"Opgeslagen ({caseId}). " + NextText(result.Next),
            CommandStatus.Accepted => result.Message,
            _ => result.Message,
        };
        return Back(back, result.Status is CommandStatus.Done or CommandStatus.Accepted ? Notice : Failed, text);
    }

    internal static string NextText(NextStep? next) => next switch
    {
        null => "",
        { Closed: true } => "De zaak is afgesloten.",
        { Paused: true } => "De zaak staat op pauze; er volgen geen stappen.",
        { WaitingFor: { } what, WaitingUntil: { } until } => $"Volgende: {what} op {TaskText.Day(until)}.",
        { WaitingFor: { } what } => $"De zaak wacht op: {what}.",
        _ => "",
    };

    private static bool? Bool(string? value) => value switch
    {
        "true" or "on" or "ja" => true,
        "false" or "nee" => false,
        _ => null,
    };

    private static T? Enum<T>(string? value) where T : struct, System.Enum =>
        string.IsNullOrEmpty(value) ? null : System.Enum.TryParse<T>(value, ignoreCase: true, out var v) ? v : throw new FormatException(value);

    private static DateOnly? Date(string? value) =>
        string.IsNullOrEmpty(value) ? null : DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Case {CaseId}: effect {EffectId} ({Kind}) offered again by {UserId}; now {Status}.")]
    private static partial void LogEffectRetried(ILogger logger, string caseId, string effectId, string kind, string userId, string status);
}
