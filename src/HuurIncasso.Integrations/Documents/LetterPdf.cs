using System.Globalization;
using HuurIncasso.Integrations.Tenants;
using HuurIncasso.Integrations.Text;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace HuurIncasso.Integrations.Documents;

/// <summary>
/// Lays a rendered message out as an A4 letter: letterhead, the address in the window of a
/// standard Dutch window envelope, place and date, subject, body. A body block (text between
/// empty lines) whose first line is short and ends without '.' or ',' starts with a bold
/// heading; lines starting with "- " are bullets. Thread-safe (no shared state besides the
/// process-wide font resolver).
/// </summary>
public sealed class LetterPdf
{
    private readonly CorporationOptions _corporation;

    /// <summary>Creates the writer and applies PDFsharp's fonts and license.</summary>
    public LetterPdf(CorporationOptions corporation, DocumentsOptions documents)
    {
        ArgumentNullException.ThrowIfNull(corporation);
        ArgumentNullException.ThrowIfNull(documents);
        PdfSetup.Ensure(documents.PdfSharpLicense);
        _corporation = corporation;
    }

    private const double Left = 70; // 25 mm
    private const double Right = 70;
    private const double Bottom = 70;
    private const double BodySize = 10.5;
    private const double Leading = 15;

    /// <summary>Writes the letter as a PDF. <paramref name="effectId"/> goes into the document's keywords for tracing.</summary>
    public byte[] Write(RenderedMessage message, TenantContact tenant, DateOnly letterDate, string effectId)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(tenant);
        using var pages = new Pages(message.Subject, _corporation.Name, effectId);
        pages.Document.Info.Subject = message.Template;
        pages.Document.Info.CreationDate = letterDate.ToDateTime(TimeOnly.MinValue);

        var regular = new XFont(LetterFonts.Family, BodySize, XFontStyleEx.Regular);
        var bold = new XFont(LetterFonts.Family, BodySize, XFontStyleEx.Bold);
        var small = new XFont(LetterFonts.Family, 8.5, XFontStyleEx.Regular);
        var heading = new XFont(LetterFonts.Family, 14, XFontStyleEx.Bold);
        var gfx = pages.Graphics;

        // Letterhead: name and return address left, logo right.
        gfx.DrawString(_corporation.Name, heading, XBrushes.Black, new XPoint(Left, 60));
        var sender = $"{_corporation.Street} · {_corporation.PostalCode} {_corporation.City} · {_corporation.Phone} · {_corporation.Email}";
        gfx.DrawString(sender, small, XBrushes.DimGray, new XPoint(Left, 76));
        gfx.DrawString($"IBAN {_corporation.Iban}", small, XBrushes.DimGray, new XPoint(Left, 87));
        DrawLogo(gfx, pages.Page);

        // Address in the envelope window (about 50 mm from the top).
        pages.Y = 150;
        foreach (var line in new[] { tenant.Name, tenant.Street, $"{tenant.PostalCode}  {tenant.City}" })
        {
            pages.Line(line, regular);
        }

        pages.Y = 250;
        var place = string.IsNullOrWhiteSpace(_corporation.City) ? "" : _corporation.City + ", ";
        pages.Line(place + letterDate.ToString("d MMMM yyyy", DutchFormat.Dutch), regular);
        pages.Line($"Contractnummer: {tenant.ContractNumber}", regular);
        pages.Y += Leading;
        foreach (var line in Wrap(gfx, "Onderwerp: " + message.Subject, bold, pages.Width))
        {
            pages.Line(line, bold);
        }

        pages.Y += Leading;
        foreach (var block in message.Body.Split("\n\n", StringSplitOptions.None))
        {
            var lines = block.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var text = lines[i];
                var isHeading = i == 0 && lines.Length > 1 && text.Length < 70 && !text.EndsWith('.') && !text.EndsWith(',');
                var bullet = text.StartsWith("- ", StringComparison.Ordinal);
                var indent = bullet ? 14.0 : 0.0;
                var font = isHeading ? bold : regular;
                var wrapped = Wrap(pages.Graphics, bullet ? text[2..] : text, font, pages.Width - indent);
                for (var w = 0; w < wrapped.Count; w++)
                {
                    pages.EnsureRoom();
                    if (bullet && w == 0)
                    {
                        pages.Graphics.DrawString("•", font, XBrushes.Black, new XPoint(Left + 2, pages.Y));
                    }

                    pages.Line(wrapped[w], font, indent);
                }
            }

            pages.Y += Leading * 0.6;
        }

        return pages.Save();
    }

    /// <summary>A plain A4 document (no addressee): a title and lines, wrapped and paged. For dossiers and overviews.</summary>
    public byte[] WriteDocument(string title, IReadOnlyList<string> lines, string keywords)
    {
        ArgumentNullException.ThrowIfNull(lines);
        using var pages = new Pages(title, _corporation.Name, keywords);
        var regular = new XFont(LetterFonts.Family, BodySize, XFontStyleEx.Regular);
        var heading = new XFont(LetterFonts.Family, 14, XFontStyleEx.Bold);
        pages.Graphics.DrawString(_corporation.Name, regular, XBrushes.DimGray, new XPoint(Left, 50));
        pages.Graphics.DrawString(title, heading, XBrushes.Black, new XPoint(Left, 80));
        pages.Y = 110;
        foreach (var line in lines)
        {
            foreach (var wrapped in Wrap(pages.Graphics, line, regular, pages.Width))
            {
                pages.EnsureRoom();
                pages.Line(wrapped, regular);
            }
        }

        return pages.Save();
    }

    /// <summary>An A4 document written top to bottom: the current page, its graphics and the line position; a new page when the bottom margin is reached.</summary>
    private sealed class Pages : IDisposable
    {
        private bool _saved;

        public Pages(string title, string author, string keywords)
        {
            Document = new PdfDocument();
            Document.Info.Title = title;
            Document.Info.Author = author;
            Document.Info.Keywords = keywords;
            Page = NewPage();
            Graphics = XGraphics.FromPdfPage(Page);
            Width = Page.Width.Point - Left - Right;
        }

        public PdfDocument Document { get; }

        public PdfPage Page { get; private set; }

        public XGraphics Graphics { get; private set; }

        public double Width { get; }

        public double Y { get; set; }

        public void EnsureRoom()
        {
            if (Y <= Page.Height.Point - Bottom)
            {
                return;
            }

            Graphics.Dispose();
            Page = NewPage();
            Graphics = XGraphics.FromPdfPage(Page);
            Y = 70;
        }

        public void Line(string text, XFont font, double indent = 0)
        {
            Graphics.DrawString(text, font, XBrushes.Black, new XPoint(Left + indent, Y));
            Y += Leading;
        }

        public byte[] Save()
        {
            // A page's content is only complete once its graphics are disposed.
            Graphics.Dispose();
            _saved = true;
            using var stream = new MemoryStream();
            Document.Save(stream, false);
            return stream.ToArray();
        }

        public void Dispose()
        {
            if (!_saved)
            {
                Graphics.Dispose();
            }

            Document.Dispose();
        }

        private PdfPage NewPage()
        {
            var page = Document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            return page;
        }
    }

    private void DrawLogo(XGraphics gfx, PdfPage page)
    {
        if (string.IsNullOrWhiteSpace(_corporation.LogoPath))
        {
            return;
        }

        var path = _corporation.LogoFullPath;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Corporation:LogoPath points to {path}, which does not exist.", path);
        }

        using var image = XImage.FromFile(path);
        const double height = 50;
        var width = height * image.PixelWidth / Math.Max(1, image.PixelHeight);
        gfx.DrawImage(image, page.Width.Point - Right - width, 40, width, height);
    }

    /// <summary>Greedy word wrap by measured width; a word longer than a line gets a line of its own.</summary>
    internal static List<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (current.Length > 0 && gfx.MeasureString(candidate, font).Width > width)
            {
                lines.Add(current);
                current = word;
            }
            else
            {
                current = candidate;
            }
        }

        lines.Add(current);
        return lines;
    }

    /// <summary>The letter date as the documents folder names it.</summary>
    internal static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
