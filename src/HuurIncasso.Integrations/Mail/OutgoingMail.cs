using System.Net;
using System.Text;

namespace HuurIncasso.Integrations.Mail;

/// <summary>
/// One mail to one tenant. <see cref="MessageKey"/> is derived from the effect id, so every
/// attempt for one effect carries the same key (in SendGrid's custom_args and a header): a
/// person can always find out whether SendGrid accepted it.
/// </summary>
public sealed record OutgoingMail(
    string EffectId,
    string CaseId,
    string Template,
    string ToAddress,
    string ToName,
    string Subject,
    string Text)
{
    /// <summary>The stable key of this mail: "hi-" and the first 32 hex digits of SHA-256 of the effect id.</summary>
    public string MessageKey => MessageKeyOf(EffectId);

    /// <summary>The stable key for <paramref name="effectId"/>.</summary>
    public static string MessageKeyOf(string effectId) =>
        "hi-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(effectId)))[..32];

    /// <summary>The text as simple HTML: paragraphs, bullet lists, escaped.</summary>
    public string Html()
    {
        var html = new StringBuilder("<!DOCTYPE html><html lang=\"nl\"><body style=\"font-family:sans-serif;line-height:1.5\">");
        foreach (var block in Text.Split("\n\n"))
        {
            var lines = block.Split('\n');
            if (lines.All(l => l.StartsWith("- ", StringComparison.Ordinal)))
            {
                html.Append("<ul>");
                foreach (var line in lines)
                {
                    html.Append("<li>").Append(WebUtility.HtmlEncode(line[2..])).Append("</li>");
                }

                html.Append("</ul>");
            }
            else
            {
                html.Append("<p>").Append(string.Join("<br>", lines.Select(WebUtility.HtmlEncode))).Append("</p>");
            }
        }

        return html.Append("</body></html>").ToString();
    }
}

/// <summary>What the transport reports after a mail was accepted.</summary>
/// <param name="ProviderMessageId">SendGrid's X-Message-Id, or the capture blob's name.</param>
public sealed record MailReceipt(string Via, string ProviderMessageId);
