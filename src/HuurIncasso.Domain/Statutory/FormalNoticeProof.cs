namespace HuurIncasso.Domain.Statutory;

/// <summary>
/// What the creditor must be able to show about a 14-day notice: when and how it was sent,
/// when it was (or is assumed to be) received, and from when costs may be charged.
/// </summary>
/// <param name="SentOn">The day the notice was sent.</param>
/// <param name="Channel">How it was sent (e.g. "post", "e-mail", "aangetekend").</param>
/// <param name="DeliveredOn">The day of receipt, recorded or assumed.</param>
/// <param name="DeliveryAssumed">True when <paramref name="DeliveredOn"/> is assumed, not recorded.</param>
/// <param name="EarliestCostDate">The first day costs may be charged.</param>
public sealed record FormalNoticeProof(DateOnly SentOn, string Channel, DateOnly DeliveredOn, bool DeliveryAssumed, DateOnly EarliestCostDate)
{
    /// <summary>The last day of the fourteen days the debtor has to pay.</summary>
    public DateOnly LastDayToPay => FormalNoticeRules.LastDayToPay(DeliveredOn);

    /// <summary>A notice whose delivery is assumed <paramref name="deliveryWorkingDays"/> working days after sending.</summary>
    /// <exception cref="ArgumentException">The channel is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The number of working days is negative.</exception>
    public static FormalNoticeProof Assumed(DateOnly sentOn, string channel, int deliveryWorkingDays)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        var deliveredOn = FormalNoticeRules.AssumedDeliveryDate(sentOn, deliveryWorkingDays);
        return new FormalNoticeProof(sentOn, channel, deliveredOn, DeliveryAssumed: true, FormalNoticeRules.EarliestCostDate(deliveredOn));
    }

    /// <summary>
    /// A letter by post whose delivery is assumed on the later of the working-day and the
    /// postal-delivery-day count (<see cref="FormalNoticeRules.SafeAssumedDeliveryDate"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The channel is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The number of days is negative.</exception>
    public static FormalNoticeProof AssumedSafely(DateOnly sentOn, string channel, int deliveryDays)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        var deliveredOn = FormalNoticeRules.SafeAssumedDeliveryDate(sentOn, deliveryDays);
        return new FormalNoticeProof(sentOn, channel, deliveredOn, DeliveryAssumed: true, FormalNoticeRules.EarliestCostDate(deliveredOn));
    }

    /// <summary>A notice with a recorded delivery date (track and trace, read receipt).</summary>
    /// <exception cref="ArgumentException">The channel is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The delivery date is before the sending date.</exception>
    public static FormalNoticeProof Recorded(DateOnly sentOn, string channel, DateOnly deliveredOn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        ArgumentOutOfRangeException.ThrowIfLessThan(deliveredOn, sentOn);
        return new FormalNoticeProof(sentOn, channel, deliveredOn, DeliveryAssumed: false, FormalNoticeRules.EarliestCostDate(deliveredOn));
    }

    /// <summary>True when collection costs may be charged on <paramref name="day"/>.</summary>
    public bool AllowsCostsOn(DateOnly day) => day >= EarliestCostDate;
}
