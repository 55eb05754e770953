using System.Text.Json.Nodes;
using HuurIncasso.Azure.Storage;
using HuurIncasso.Host.Scheduling;

namespace HuurIncasso.Host.Functions;

/// <summary>What the host does when the Functions host invokes a function.</summary>
public enum FunctionRole
{
    /// <summary>A timer that runs a scheduled job through <see cref="ScheduledJobRunner"/>.</summary>
    ScheduledJob,

    /// <summary>A timer that sends due case timers to the inbox.</summary>
    TimerSweep,

    /// <summary>A timer that performs effects a crash or a failure left pending.</summary>
    OutboxSweep,

    /// <summary>A queue trigger that hands one inbox message to the case engine.</summary>
    CaseInbox,

    /// <summary>A queue trigger that performs the effects one handled message left.</summary>
    EffectDispatch,

    /// <summary>An HTTP trigger whose request the Functions host proxies to the same path here.</summary>
    Http,
}

/// <summary>One binding of a function, as it appears in <c>function.json</c>.</summary>
/// <param name="Name">The binding's name: the key in the invocation's <c>Data</c> or <c>Outputs</c>.</param>
public abstract record FunctionBinding(string Name)
{
    /// <summary>The binding as a <c>function.json</c> entry.</summary>
    public abstract JsonObject ToJson();
}

/// <summary>A timer trigger; <paramref name="Schedule"/> is a 6-field NCRONTAB expression.</summary>
public sealed record TimerTriggerBinding(string Name, string Schedule) : FunctionBinding(Name)
{
    /// <inheritdoc />
    public override JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["type"] = "timerTrigger",
        ["direction"] = "in",
        ["schedule"] = Schedule,
        // The schedule monitor keeps the last run in storage, so an occurrence missed while no instance ran is caught up.
        ["useMonitor"] = true,
        ["runOnStartup"] = false,
    };
}

/// <summary>A Storage queue trigger on <paramref name="QueueName"/>.</summary>
public sealed record QueueTriggerBinding(string Name, string QueueName, string Connection) : FunctionBinding(Name)
{
    /// <inheritdoc />
    public override JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["type"] = "queueTrigger",
        ["direction"] = "in",
        ["queueName"] = QueueName,
        ["connection"] = Connection,
    };
}

/// <summary>A Storage queue output: what the handler returns under <paramref name="Name"/> in <c>Outputs</c> is sent there.</summary>
public sealed record QueueOutputBinding(string Name, string QueueName, string Connection) : FunctionBinding(Name)
{
    /// <inheritdoc />
    public override JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["type"] = "queue",
        ["direction"] = "out",
        ["queueName"] = QueueName,
        ["connection"] = Connection,
    };
}

/// <summary>An anonymous HTTP trigger (the host signs users in itself, Easy Auth in front); no methods: all.</summary>
public sealed record HttpTriggerBinding(string Name, string Route, IReadOnlyList<string> Methods) : FunctionBinding(Name)
{
    /// <inheritdoc />
    public override JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["name"] = Name,
            ["type"] = "httpTrigger",
            ["direction"] = "in",
            ["authLevel"] = "anonymous",
            ["route"] = Route,
        };
        if (Methods.Count > 0)
        {
            json["methods"] = new JsonArray([.. Methods.Select(m => (JsonNode)JsonValue.Create(m))]);
        }

        return json;
    }
}

/// <summary>The HTTP response of an HTTP trigger.</summary>
public sealed record HttpOutputBinding(string Name) : FunctionBinding(Name)
{
    /// <inheritdoc />
    public override JsonObject ToJson() => new() { ["name"] = Name, ["type"] = "http", ["direction"] = "out" };
}

/// <summary>One Azure Function: a folder with a <c>function.json</c>, and what the host does when it is invoked.</summary>
/// <param name="Name">The folder name and the path the Functions host posts invocations to (<c>POST /{Name}</c>).</param>
/// <param name="Job">For <see cref="FunctionRole.ScheduledJob"/>: the job's name.</param>
public sealed record FunctionDefinition(string Name, FunctionRole Role, string Description, IReadOnlyList<FunctionBinding> Bindings, string? Job = null)
{
    /// <summary>For a case-inbox function: the inbox shard its queue is (0 for <c>inbox</c>).</summary>
    public int Shard { get; init; }

    /// <summary>The trigger: the first binding.</summary>
    public FunctionBinding Trigger => Bindings[0];

    /// <summary>The content of <c>{Name}/function.json</c>.</summary>
    public JsonObject ToFunctionJson() => new() { ["bindings"] = new JsonArray([.. Bindings.Select(b => (JsonNode)b.ToJson())]) };
}

/// <summary>
/// Every function of the app, in one table: the function.json files are written from it at
/// publish time (<c>huurincasso functions write</c>) and the invocation router answers from it,
/// so the two cannot drift apart. Timer functions come from <see cref="ScheduledJobs"/>: a job
/// registered anywhere with <c>AddScheduledJob</c> gets its function without an entry here.
/// </summary>
public sealed class FunctionTable
{
    /// <summary>The app setting (connection prefix) the queue triggers use: the Function App's own storage account.</summary>
    public const string QueueConnection = "AzureWebJobsStorage";

    /// <summary>Sends due case timers to the inbox, every minute (a case's timers are days apart; a minute late is nothing).</summary>
    public const string TimerSweepName = "timer-sweep";

    /// <summary>Redoes effects left pending, every five minutes; normally the effect-dispatch queue has done them long before.</summary>
    public const string OutboxSweepName = "outbox-sweep";

    /// <summary>The case inbox queue trigger.</summary>
    public const string CaseInboxName = "case-inbox";

    /// <summary>The effect dispatch queue trigger.</summary>
    public const string EffectDispatchName = "effect-dispatch";

    /// <summary>The bank's payment webhook.</summary>
    public const string BankWebhookName = "bank-webhook";

    /// <summary>The JSON API of the consultants, team leads and admins.</summary>
    public const string ConsultantApiName = "consultant-api";

    /// <summary>The pages of the workspace.</summary>
    public const string UiName = "ui";

    /// <summary>Binding names: keys of the invocation's <c>Data</c> and <c>Outputs</c>.</summary>
    public const string TimerBinding = "timer", MessageBinding = "message", EffectsBinding = "effects", DispatchBinding = "dispatch", RequestBinding = "req", ResponseBinding = "res";

    private readonly FunctionDefinition[] _all;

    /// <summary>Builds the table from the registered jobs (with their schedules in force) and the storage names (with the prefix).</summary>
    public FunctionTable(ScheduledJobs jobs, StorageNames names, Microsoft.Extensions.Options.IOptions<HuurIncasso.Engine.EngineOptions> engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(names);
        FunctionDefinition[] fixedOnes =
        [
            new(TimerSweepName, FunctionRole.TimerSweep, "Sends the case timers that are due to the inbox.",
                [new TimerTriggerBinding(TimerBinding, "0 * * * * *")]),
            new(OutboxSweepName, FunctionRole.OutboxSweep, "Performs effects that were left pending (a crash, a failing mail server).",
                [new TimerTriggerBinding(TimerBinding, "30 */5 * * * *")]),
            new(EffectDispatchName, FunctionRole.EffectDispatch, "Performs the effects of one handled message: letters, mails, tasks, referrals, timers.",
                [new QueueTriggerBinding(DispatchBinding, names.EffectsQueue, QueueConnection)]),
            // The Functions host matches overlapping routes in the order of function names, so the
            // specific route sorts first (bank- before consultant- before ui). Whichever matches, the
            // request reaches the same ASP.NET Core app on its own path: only the logs differ.
            new(BankWebhookName, FunctionRole.Http, "The bank's payment feed (signed, no sign-in).",
                [new HttpTriggerBinding(RequestBinding, "api/bank/webhook", ["post"]), new HttpOutputBinding(ResponseBinding)]),
            new(ConsultantApiName, FunctionRole.Http, "The JSON API under /api.",
                [new HttpTriggerBinding(RequestBinding, "api/{*path}", []), new HttpOutputBinding(ResponseBinding)]),
            new(UiName, FunctionRole.Http, "The workspace pages, sign-in, health and static files.",
                [new HttpTriggerBinding(RequestBinding, "{*path}", []), new HttpOutputBinding(ResponseBinding)]),
        ];
        var timers = jobs.All.Where(jobs.IsEnabled).Select(job => new FunctionDefinition(
            job.Name, FunctionRole.ScheduledJob, job.Description,
            [new TimerTriggerBinding(TimerBinding, CronSchedule.ToNcrontab(jobs.ScheduleOf(job)))], job.Name));
        // A sharded inbox (Engine:InboxShards) is several queues: one trigger each, named like the queue.
        var inboxes = Enumerable.Range(0, Math.Max(1, engine.Value.InboxShards)).Select(shard => new FunctionDefinition(
            shard == 0 ? CaseInboxName : CaseInboxName + "-" + shard.ToString(System.Globalization.CultureInfo.InvariantCulture),
            FunctionRole.CaseInbox, "Hands one inbox message to its case; the effects go to the effects queue.",
            [new QueueTriggerBinding(MessageBinding, names.InboxShardQueue(shard), QueueConnection), new QueueOutputBinding(EffectsBinding, names.EffectsQueue, QueueConnection)])
        { Shard = shard });
        _all = [.. timers, .. inboxes, .. fixedOnes];
    }

    /// <summary>Every function: the enabled scheduled jobs first, then the fixed ones.</summary>
    public IReadOnlyList<FunctionDefinition> All => _all;

    /// <summary>The function called <paramref name="name"/> (as the Functions host spells it in the path), or null.</summary>
    public FunctionDefinition? Find(string name) => _all.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}
