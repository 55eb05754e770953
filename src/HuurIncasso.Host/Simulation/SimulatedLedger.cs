namespace HuurIncasso.Host.Simulation;

/// <summary>
/// The corporation's rent ledger in the simulation, one account per contract: what the ERP
/// would export. Independent of the case core: it only books charges, payments and returns.
/// </summary>
/// <remarks>Mutable, not thread-safe: one per simulation run.</remarks>
internal sealed class SimulatedLedger(int contracts)
{
    private readonly Account[] _accounts = CreateAccounts(contracts);

    // Each account's oldest unpaid due date as a day number (int.MaxValue: none), kept beside
    // the accounts: the daily look for cases to open reads it for every contract in arrears.
    private readonly int[] _oldestDueDay = Enumerable.Repeat(int.MaxValue, contracts).ToArray();

    /// <summary>Contracts whose balance is above zero (rent owed), by index.</summary>
    public HashSet<int> InArrears { get; } = [];

    public decimal Balance(int contract) => _accounts[contract].Balance;

    /// <summary>The oldest due date with rent still unpaid, oldest payment first; null when nothing is owed.</summary>
    public DateOnly? OldestUnpaidDueDate(int contract) =>
        _oldestDueDay[contract] is var day && day == int.MaxValue ? null : DateOnly.FromDayNumber(day);

    /// <summary>Months in the last twelve in which the rent was not paid by the 5th.</summary>
    public int LateMonthsInLast12(int contract) => System.Numerics.BitOperations.PopCount((uint)_accounts[contract].LateMonths & 0xFFFu);

    public void Charge(int contract, DateOnly dueDate, decimal amount) => Add(contract, dueDate, amount);

    /// <summary>A returned collection re-opens the rent of the month it was collected in.</summary>
    public void Reverse(int contract, DateOnly collectedOn, decimal amount) => Add(contract, new DateOnly(collectedOn.Year, collectedOn.Month, 1), amount);

    public void Pay(int contract, decimal amount)
    {
        var account = _accounts[contract];
        account.Balance -= amount;
        var left = amount;
        while (left > 0m && account.Charges.Count > 0)
        {
            var (due, open) = account.Charges[0];
            if (open <= left)
            {
                left -= open;
                account.Charges.RemoveAt(0);
            }
            else
            {
                account.Charges[0] = (due, open - left);
                left = 0m;
            }
        }

        Track(contract);
    }

    /// <summary>The monthly processing: remembers whether this month's rent was late.</summary>
    public void CloseMonth(int contract)
    {
        var account = _accounts[contract];
        account.LateMonths = (account.LateMonths << 1) | (account.Balance > 0m ? 1 : 0);
    }

    private void Add(int contract, DateOnly dueDate, decimal amount)
    {
        var account = _accounts[contract];

        // Money already there (credit) pays the new charge at once.
        var credit = Math.Max(0m, -account.Balance);
        account.Balance += amount;
        var open = amount - Math.Min(credit, amount);
        if (open > 0m)
        {
            var at = account.Charges.FindIndex(c => c.DueDate > dueDate);
            account.Charges.Insert(at < 0 ? account.Charges.Count : at, (dueDate, open));
        }

        Track(contract);
    }

    private void Track(int contract)
    {
        var account = _accounts[contract];
        if (account.Balance > 0m)
        {
            InArrears.Add(contract);
        }
        else
        {
            account.Charges.Clear();
            InArrears.Remove(contract);
        }

        _oldestDueDay[contract] = account.Charges.Count == 0 ? int.MaxValue : account.Charges[0].DueDate.DayNumber;
    }

    private static Account[] CreateAccounts(int contracts)
    {
        var accounts = new Account[contracts];
        for (var i = 0; i < contracts; i++)
        {
            accounts[i] = new Account();
        }

        return accounts;
    }

    private sealed class Account
    {
        public decimal Balance { get; set; }

        public List<(DateOnly DueDate, decimal Amount)> Charges { get; } = [];

        public int LateMonths { get; set; }
    }
}
