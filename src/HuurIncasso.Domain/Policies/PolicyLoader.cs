using System.Collections.Immutable;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HuurIncasso.Domain.Policies;

/// <summary>
/// Loads a policy file (YAML) into a <see cref="CollectionPolicy"/> and checks it. Never throws
/// on bad input: every problem is reported as a <see cref="PolicyError"/> with its line and
/// field path, all in one pass.
/// </summary>
public static partial class PolicyLoader
{
    /// <summary>Reads and checks a policy file.</summary>
    /// <remarks>The one place in the domain that reads a file; everything else is pure.</remarks>
    public static PolicyLoadResult Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new PolicyLoadResult(null, [new PolicyError(0, "", $"het bestand kan niet worden gelezen: {e.Message}")], path);
        }

        return Parse(text, path);
    }

    /// <summary>Parses and checks policy text; <paramref name="fileName"/> only names the source in the result.</summary>
    public static PolicyLoadResult Parse(string text, string fileName = "beleid.yaml")
    {
        ArgumentNullException.ThrowIfNull(fileName);
        return ParseText(text) with { FileName = fileName };
    }

    private static PolicyLoadResult ParseText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            return new PolicyLoadResult(null, [new PolicyError((int)e.Start.Line, "", $"geen geldige YAML: {e.Message}")]);
        }

        var sink = new ErrorSink();
        if (stream.Documents.Count != 1)
        {
            sink.Add(1, "", "het bestand moet precies één beleid bevatten");
            return new PolicyLoadResult(null, sink.Errors);
        }

        var root = MapReader.From(stream.Documents[0].RootNode, "", sink);
        var policy = root is null ? null : Read(root);
        if (policy is not null)
        {
            PolicyValidator.Check(policy, sink);
        }

        var errors = sink.Errors.OrderBy(e => e.Line).ToList();
        return new PolicyLoadResult(errors.Count == 0 ? policy : null, errors);
    }

    private static CollectionPolicy? Read(MapReader root)
    {
        var sink = root.Sink;
        var version = root.String("version");
        var validFrom = root.Date("validFrom");
        var name = root.String("name", required: false);
        var newTenantMonths = root.Int("newTenantMonths", required: false, min: 0, max: 120) ?? 6;

        var ladder = root.Maps("ladder").Select(ReadStep).ToList();
        var ladderById = new Dictionary<string, StepDefinition>(StringComparer.Ordinal);
        foreach (var step in ladder.OfType<StepDefinition>())
        {
            if (!ladderById.TryAdd(step.Id, step))
            {
                sink.Add(step.Line, "ladder", $"stap '{step.Id}' staat twee keer in de ladder");
            }
        }

        var plans = root.Maps("plans").Select(p => ReadPlan(p, ladder.OfType<StepDefinition>().ToList(), ladderById)).OfType<TreatmentPlan>().ToList();
        var segments = root.Maps("segments").Select(ReadSegment).OfType<SegmentRule>().ToList();
        var departedPlan = root.String("departedPlan");
        var administrative = ReadAdministrative(root.Map("administrativeTrack"));
        var arrangements = ReadArrangements(root.Map("arrangements"));
        var pauses = root.Maps("pauses").Select(ReadPause).OfType<PausePolicy>().ToImmutableArray();
        var handover = root.Map("handover") is { } h ? ReadHandover(h) : null;
        var writeOff = root.Map("writeOff") is { } w ? ReadWriteOff(w) : null;
        var notice = root.Map("notice") is { } n ? ReadNotice(n) : null;
        var costs = root.Map("costs") is { } c ? ReadCosts(c) : null;
        var interest = root.Map("interest") is { } i ? ReadInterest(i) : null;
        var reversals = root.Maps("reversals", required: false).Select(ReadReversal).OfType<ReversalRule>().ToImmutableArray();
        var defaultReversal = root.Enum<ReversalTreatment>("defaultReversalTreatment", required: false) ?? ReversalTreatment.Contact;
        var kpis = root.Map("kpis") is { } k ? ReadKpis(k) : null;
        root.RejectUnknown();

        if (version is null || validFrom is null || departedPlan is null || administrative is null || arrangements is null
            || handover is null || writeOff is null || notice is null || costs is null || interest is null || kpis is null
            || ladder.Any(s => s is null))
        {
            return null;
        }

        CheckReferences(root, plans, segments, departedPlan, administrative, sink);
        return new CollectionPolicy(
            version, validFrom.Value, name, newTenantMonths, [.. ladder.OfType<StepDefinition>()], [.. plans], [.. segments],
            departedPlan, administrative, arrangements, pauses, handover, writeOff, notice, costs, interest, reversals, defaultReversal, kpis);
    }

    private static StepDefinition? ReadStep(MapReader m)
    {
        var id = m.String("id");
        var kind = m.Enum<StepKind>("kind");
        var months = m.Int("monthsInArrears", required: false, min: 1, max: 120) ?? 1;
        var days = m.Int("daysPastDue", required: false, min: 0, max: 3650) ?? 0;
        var wait = m.Duration("wait") ?? 0;
        var approval = m.Bool("requiresApproval") ?? false;
        var terminal = m.Bool("terminal") ?? false;
        var optional = m.Bool("optional") ?? false;
        var channels = m.Scalars("channels").Select(c => MapReader.ParseEnum<Channel>(c.Value, c.Node, m.Sub("channels"), m.Sink)).OfType<Channel>().ToImmutableArray();
        var partner = m.Enum<Partner>("partner", required: false);
        var handoverTo = m.Enum<HandoverTarget>("handoverTo", required: false);
        var offers = m.Bool("offersEarlySignal") ?? false;
        var points = m.Bool("pointsToDebtCounselling") ?? false;
        var requiresVisit = m.Bool("requiresVisit");
        var role = m.Enum<Role>("role", required: false);
        m.RejectUnknown();

        if (id is not null && !IdPattern().IsMatch(id))
        {
            m.Sink.Add(m.LineOf("id"), m.Sub("id"), $"'{id}' is geen geldige naam (kleine letters, cijfers en '-')");
        }

        if (kind is { } k)
        {
            if ((k == StepKind.Referral) != (partner is not null))
            {
                m.Sink.Add(m.Line, m.Sub("partner"), k == StepKind.Referral ? "een doorverwijzing noemt een partner" : "alleen een doorverwijzing (kind: referral) noemt een partner");
            }

            if (k == StepKind.Handover && handoverTo is null)
            {
                m.Sink.Add(m.Line, m.Sub("handoverTo"), "een overdracht noemt aan wie: agency of bailiff");
            }

            if (k != StepKind.Handover && requiresVisit is not null)
            {
                m.Sink.Add(m.LineOf("requiresVisit"), m.Sub("requiresVisit"), "alleen een overdracht kan een huisbezoek vereisen");
            }

            if ((k == StepKind.Task) != (role is not null))
            {
                m.Sink.Add(m.Line, m.Sub("role"), k == StepKind.Task ? "een taak noemt voor wie (role)" : "alleen een taak (kind: task) noemt een rol");
            }

            if (k is StepKind.Reminder or StepKind.FormalNotice or StepKind.FinalStatement && channels.IsEmpty)
            {
                m.Sink.Add(m.Line, m.Sub("channels"), "een brief of mail noemt de kanalen, zoals [mail, letter]");
            }

            // The enum keeps Sms for a future provider; until one is set up a policy asking for it
            // must fail the check instead of failing every message at run time.
            if (channels.Contains(Channel.Sms))
            {
                m.Sink.Add(m.LineOf("channels"), m.Sub("channels"), "sms kan nog niet: er is geen sms-dienst ingesteld; kies mail of letter");
            }
        }

        if (id is null || kind is null)
        {
            return null;
        }

        return new StepDefinition(id, kind.Value, months, days, wait, approval, terminal, optional, channels, partner, handoverTo, offers, points,
            requiresVisit ?? kind == StepKind.Handover, role, m.Line);
    }

    private static TreatmentPlan? ReadPlan(MapReader m, List<StepDefinition> ladder, Dictionary<string, StepDefinition> byId)
    {
        var id = m.String("id");
        var explicitSteps = m.Node("steps", required: false) is null ? null : m.Scalars("steps");
        var skip = m.Scalars("skip");
        var add = m.Maps("add", required: false);
        var adjust = m.Maps("adjust", required: false);
        m.RejectUnknown();

        StepDefinition? Resolve((string Value, YamlNode Node) r, string field)
        {
            if (byId.TryGetValue(r.Value, out var s))
            {
                return s;
            }

            m.Sink.Add(r.Node, m.Sub(field), $"onbekende stap '{r.Value}'");
            return null;
        }

        List<StepDefinition> steps;
        if (explicitSteps is not null)
        {
            steps = explicitSteps.Select(r => Resolve(r, "steps")).OfType<StepDefinition>().ToList();
            if (skip.Count > 0 || add.Count > 0)
            {
                m.Sink.Add(m.Line, m.Path, "gebruik 'steps' óf 'skip'/'add', niet allebei");
            }
        }
        else
        {
            var skipped = skip.Select(r => Resolve(r, "skip")).OfType<StepDefinition>().Select(s => s.Id).ToHashSet();
            steps = ladder.Where(s => !s.Optional && !skipped.Contains(s.Id)).ToList();
            foreach (var a in add)
            {
                // An added step goes right after the step named in 'after' (default: at the end).
                var stepId = a.String("step");
                var after = a.String("after", required: false);
                a.RejectUnknown();
                if (stepId is null)
                {
                    continue;
                }

                if (!byId.TryGetValue(stepId, out var added))
                {
                    a.Sink.Add(a.LineOf("step"), a.Sub("step"), $"onbekende stap '{stepId}'");
                    continue;
                }

                if (steps.Any(s => s.Id == stepId))
                {
                    a.Sink.Add(a.LineOf("step"), a.Sub("step"), $"stap '{stepId}' zit al in dit plan");
                    continue;
                }

                var index = after is null ? steps.Count : steps.FindIndex(s => s.Id == after) + 1;
                if (index == 0)
                {
                    a.Sink.Add(a.LineOf("after"), a.Sub("after"), $"stap '{after}' zit niet in dit plan");
                    continue;
                }

                steps.Insert(index, added);
            }
        }

        foreach (var a in adjust)
        {
            var stepId = a.String("step");
            var months = a.Int("monthsInArrears", required: false, min: 1, max: 120);
            var days = a.Int("daysPastDue", required: false, min: 0, max: 3650);
            var wait = a.Duration("wait");
            a.RejectUnknown();
            if (stepId is null)
            {
                continue;
            }

            var index = steps.FindIndex(s => s.Id == stepId);
            if (index < 0)
            {
                a.Sink.Add(a.LineOf("step"), a.Sub("step"), byId.ContainsKey(stepId) ? $"stap '{stepId}' zit niet in dit plan" : $"onbekende stap '{stepId}'");
                continue;
            }

            steps[index] = steps[index] with
            {
                MonthsInArrears = months ?? steps[index].MonthsInArrears,
                DaysPastDue = days ?? steps[index].DaysPastDue,
                WaitDays = wait ?? steps[index].WaitDays,
            };
        }

        return id is null ? null : new TreatmentPlan(id, [.. steps], m.Line);
    }

    private static SegmentRule? ReadSegment(MapReader m)
    {
        var id = m.String("id");
        var plan = m.String("plan");
        var colour = m.Enum<SegmentColour>("colour", required: false);
        var when = m.Map("when");
        SegmentCondition? condition = null;
        if (when is not null)
        {
            var least = when.Int("lateMonthsAtLeast", required: false, min: 0, max: 12);
            var most = when.Int("lateMonthsAtMost", required: false, min: 0, max: 12);
            condition = new SegmentCondition(
                when.Bool("newTenant"),
                when.Bool("directDebit"),
                least,
                most,
                when.Bool("openArrangement"),
                [.. when.Scalars("reversalReasons").Select(r => r.Value.ToUpperInvariant())],
                when.Bool("departing"),
                when.Bool("departed"),
                when.Enum<Ability>("ability", required: false),
                when.Enum<Willingness>("willingness", required: false),
                when.Int("brokenArrangementsAtLeast", required: false, min: 0, max: 100),
                when.Bool("inArrears"));
            when.RejectUnknown();
            if (least is not null && most is not null && least > most)
            {
                when.Sink.Add(when.Line, when.Path, $"lateMonthsAtLeast ({least}) is groter dan lateMonthsAtMost ({most}): deze regel past nooit");
            }
        }

        m.RejectUnknown();
        return id is null || plan is null || condition is null ? null : new SegmentRule(id, plan, colour, condition, m.Line, m.LineOf("plan"));
    }

    private static AdministrativeTrack? ReadAdministrative(MapReader? m)
    {
        if (m is null)
        {
            return null;
        }

        var types = m.Scalars("propertyTypes").Select(t => t.Value.ToUpperInvariant()).ToImmutableArray();
        var plan = m.String("plan");
        m.RejectUnknown();
        return plan is null ? null : new AdministrativeTrack(types, plan);
    }

    private static ArrangementPolicy? ReadArrangements(MapReader? m)
    {
        if (m is null)
        {
            return null;
        }

        var upToOne = m.Int("maxInstalmentsUpToOneMonth", min: 1);
        var max = m.Int("maxInstalments", min: 1);
        var minimum = m.Decimal("minimumInstalment", min: 0.01m);
        var perYear = m.Int("maxPerYear", min: 1, max: 12);
        var grace = m.Int("graceDays", required: false, min: 0, max: 31) ?? 3;
        m.RejectUnknown();
        if (upToOne > ArrangementPolicy.BoundUpToOneMonth)
        {
            m.Sink.Add(m.LineOf("maxInstalmentsUpToOneMonth"), m.Sub("maxInstalmentsUpToOneMonth"), $"{upToOne} termijnen is meer dan de grens van {ArrangementPolicy.BoundUpToOneMonth} bij hoogstens één maand achterstand");
        }

        if (max > ArrangementPolicy.BoundAboveOneMonth)
        {
            m.Sink.Add(m.LineOf("maxInstalments"), m.Sub("maxInstalments"), $"{max} termijnen is meer dan de grens van {ArrangementPolicy.BoundAboveOneMonth}");
        }

        if (upToOne > max)
        {
            m.Sink.Add(m.LineOf("maxInstalmentsUpToOneMonth"), m.Sub("maxInstalmentsUpToOneMonth"), $"{upToOne} is meer dan maxInstalments ({max})");
        }

        return upToOne is null || max is null || minimum is null || perYear is null ? null : new ArrangementPolicy(upToOne.Value, max.Value, minimum.Value, perYear.Value, grace);
    }

    private static PausePolicy? ReadPause(MapReader m)
    {
        var kind = m.Enum<PauseKind>("kind");
        var days = m.Int("maxDays", min: 1, max: 366);
        m.RejectUnknown();
        if (kind == PauseKind.DebtCounselling && days > PausePolicy.DebtCounsellingBoundDays)
        {
            m.Sink.Add(m.LineOf("maxDays"), m.Sub("maxDays"), $"een pauze voor schuldhulpverlening duurt hoogstens {PausePolicy.DebtCounsellingBoundDays} dagen (Wgs), niet {days}");
        }

        return kind is null || days is null ? null : new PausePolicy(kind.Value, days.Value);
    }

    private static HandoverPolicy? ReadHandover(MapReader m)
    {
        var role = m.Enum<Role>("approverRole");
        m.RejectUnknown();
        return role is null ? null : new HandoverPolicy(role.Value);
    }

    private static WriteOffPolicy? ReadWriteOff(MapReader m)
    {
        var role = m.Enum<Role>("approverRole");
        var reasons = m.Scalars("reasons", required: true).Select(r => r.Value).ToImmutableArray();
        m.RejectUnknown();
        if (reasons.IsEmpty)
        {
            m.Sink.Add(m.Line, m.Sub("reasons"), "noem minstens één reden om af te boeken");
        }

        return role is null ? null : new WriteOffPolicy(reasons, role.Value);
    }

    private static NoticePolicy? ReadNotice(MapReader m)
    {
        var days = m.Int("days", min: 1, max: 90);
        var delivery = m.Int("deliveryWorkingDays", min: 0, max: 10);
        var charge = m.Bool("chargeCosts", required: true);
        m.RejectUnknown();
        if (days < NoticePolicy.StatutoryNoticeDays)
        {
            m.Sink.Add(m.LineOf("days"), m.Sub("days"), $"de wet geeft de huurder minstens {NoticePolicy.StatutoryNoticeDays} dagen na ontvangst, niet {days}");
        }

        return days is null || delivery is null || charge is null ? null : new NoticePolicy(days.Value, delivery.Value, charge.Value);
    }

    private static CostsPolicy? ReadCosts(MapReader m)
    {
        var vat = m.Bool("addVat", required: true);
        var rate = m.Decimal("vatRatePercent", min: 0m);
        var cap = m.Decimal("recurringClaimsCapPerSixMonths", required: false, min: 0m);
        var threshold = m.Decimal("recurringClaimsThreshold", required: false, min: 0m) ?? 266.67m;
        m.RejectUnknown();
        if (rate > 100m)
        {
            m.Sink.Add(m.LineOf("vatRatePercent"), m.Sub("vatRatePercent"), "een btw-tarief boven 100 % kan niet");
        }

        return vat is null || rate is null ? null : new CostsPolicy(vat.Value, rate.Value, cap, threshold);
    }

    private static InterestPolicy? ReadInterest(MapReader m)
    {
        var charge = m.Bool("charge", required: true);
        var rates = new List<InterestRate>();
        foreach (var r in m.Maps("rates", required: false))
        {
            var from = r.Date("from");
            var percent = r.Decimal("percent", min: 0m);
            r.RejectUnknown();
            if (from is not null && percent is not null)
            {
                if (rates.Count > 0 && rates[^1].From >= from)
                {
                    r.Sink.Add(r.LineOf("from"), r.Sub("from"), "de tarieven moeten op datum oplopen, zonder dubbele datums");
                }

                rates.Add(new InterestRate(from.Value, percent.Value));
            }
        }

        m.RejectUnknown();
        if (charge == true && rates.Count == 0)
        {
            m.Sink.Add(m.Line, m.Sub("rates"), "wie rente rekent, noemt de tarieven");
        }

        return charge is null ? null : new InterestPolicy(charge.Value, [.. rates]);
    }

    private static ReversalRule? ReadReversal(MapReader m)
    {
        var codes = m.Scalars("codes", required: true);
        var treatment = m.Enum<ReversalTreatment>("treatment");
        var retry = m.Duration("retryAfter") ?? 0;
        m.RejectUnknown();
        foreach (var (code, node) in codes)
        {
            if (!ReasonCodePattern().IsMatch(code))
            {
                m.Sink.Add(node, m.Sub("codes"), $"'{code}' is geen SEPA-redencode (vier tekens, zoals AM04)");
            }
        }

        if (treatment == ReversalTreatment.Recollect && retry == 0)
        {
            m.Sink.Add(m.Line, m.Sub("retryAfter"), "opnieuw incasseren vraagt een wachttijd, zoals 5d");
        }

        return treatment is null ? null : new ReversalRule([.. codes.Select(c => c.Value)], treatment.Value, retry);
    }

    private static KpiTargets? ReadKpis(MapReader m)
    {
        var tenants = m.Int("maxTenantsInArrears");
        var percent = Percentage(m, "maxArrearsPercentOfYearlyRent");
        var current = m.Decimal("maxAverageArrearsCurrent");
        var departed = m.Decimal("maxAverageArrearsDeparted");
        var evictions = m.Int("maxEvictionsPerYear");
        var dd = Percentage(m, "directDebitSharePercent");
        var ddYear = m.Int("directDebitShareByYear", min: 2000, max: 2100);
        var procedures = m.Int("maxLegalProceduresPerYear");
        var coverage = Percentage(m, "minEarlySignalCoveragePercent");
        m.RejectUnknown();
        return tenants is null || percent is null || current is null || departed is null || evictions is null || dd is null || ddYear is null
            || procedures is null || coverage is null
            ? null
            : new KpiTargets(tenants.Value, percent.Value, current.Value, departed.Value, evictions.Value, dd.Value, ddYear.Value, procedures.Value, coverage.Value);
    }

    private static decimal? Percentage(MapReader m, string key)
    {
        var value = m.Decimal(key);
        if (value > 100m)
        {
            m.Sink.Add(m.LineOf(key), m.Sub(key), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value} is meer dan 100 % (een aandeel is hoogstens 100)"));
            return null;
        }

        return value;
    }

    private static void CheckReferences(MapReader root, List<TreatmentPlan> plans, List<SegmentRule> segments, string departedPlan, AdministrativeTrack administrative, ErrorSink sink)
    {
        var planIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            if (!planIds.Add(plan.Id))
            {
                sink.Add(plan.Line, "plans", $"plan '{plan.Id}' staat er twee keer");
            }
        }

        var segmentIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (!segmentIds.Add(segment.Id))
            {
                sink.Add(segment.Line, $"segments[{i}].id", $"segment '{segment.Id}' staat er twee keer");
            }

            if (!planIds.Contains(segment.Plan))
            {
                sink.Add(segment.PlanLine, $"segments[{i}].plan", $"onbekend plan '{segment.Plan}'");
            }
        }

        if (segments.Count > 0 && !segments[^1].When.IsCatchAll)
        {
            sink.Add(segments[^1].Line, $"segments[{segments.Count - 1}]", "de laatste regel moet voor iedereen gelden (when: {}), anders valt een huurder buiten elk segment");
        }

        if (!planIds.Contains(departedPlan))
        {
            sink.Add(root.LineOf("departedPlan"), "departedPlan", $"onbekend plan '{departedPlan}'");
        }

        if (!planIds.Contains(administrative.Plan))
        {
            sink.Add(root.LineOf("administrativeTrack"), "administrativeTrack.plan", $"onbekend plan '{administrative.Plan}'");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Z]{2}[0-9]{2}$")]
    private static partial Regex ReasonCodePattern();
}
