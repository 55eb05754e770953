using System.Collections.Immutable;

namespace HuurIncasso.Domain.Cases;

public static partial class CaseCore
{
    /// <summary>Settlements kept per case: enough for reversals (8 weeks) of monthly direct debits.</summary>
    private const int SettlementsKept = 6;

    /// <summary>Folds one event into the state. Pure and total: replaying a case's events rebuilds its state.</summary>
    public static CaseState Apply(CaseState state, CaseEvent @event)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(@event);
        // One copy per event: each branch sets the version in its own `with`, the state is a large record.
        var s = state;
        var v = @event.Sequence;
        var next = @event switch
        {
            CaseOpened e => s with
            {
                Version = v,
                CaseId = e.CaseId,
                Status = CaseStatus.Open,
                PolicyVersion = e.PolicyVersion,
                Track = e.Track,
                ContractId = e.ContractId,
                TenantId = e.TenantId,
                MonthlyRent = e.MonthlyRent,
                PropertyType = e.PropertyType,
                ContractStart = e.ContractStart,
                DirectDebit = e.DirectDebit,
                LateMonthsInLast12 = e.LateMonthsInLast12,
                Charges = e.Balance > 0m ? [new OpenCharge(e.OldestUnpaidDueDate, e.Balance)] : [],
                Credit = e.Balance < 0m ? -e.Balance : 0m,
            },
            CaseReopened => s with
            {
                Version = v,
                Status = CaseStatus.Open,
                Steps = [],
                ProposedStep = null,
                ProposeAgainOn = null,
                RejectedStep = null,
                VisitAttempted = false,
                EarlySignal = new EarlySignalProgress(),
                Notice = null,
                Pause = null,
                Handover = null,
                WriteOffRequest = null,
            },
            SegmentChanged e => s with { Version = v, Segment = e.To, Plan = e.Plan },
            RentCharged e => Charge(s, v, e.DueDate, e.Amount),
            BalanceDifferenceFound e => Restate(s, v, e),
            PaymentApplied e => Pay(s, v, e),
            DirectDebitReversed e => Reverse(s, v, e),
            StepTaken e => s with
            {
                Version = v,
                Steps = s.Steps.Add(new TakenStep(e.StepId, e.On)),
                ProposedStep = s.ProposedStep == e.StepId ? null : s.ProposedStep,
                EarlySignal = s.EarlySignal with
                {
                    ReminderOffered = s.EarlySignal.ReminderOffered || e.OffersEarlySignal,
                    PointedToDebtCounselling = s.EarlySignal.PointedToDebtCounselling || e.PointsToDebtCounselling,
                },
            },
            StepProposed e => s with { Version = v, ProposedStep = e.StepId },
            StepRejected e => s with { Version = v, ProposedStep = null, RejectedStep = e.StepId, ProposeAgainOn = e.ProposeAgainOn },
            HandedOver e => s with
            {
                Version = v,
                Status = CaseStatus.HandedOver,
                Handover = e,
                ProposedStep = null,
                Steps = s.Steps.Add(new TakenStep(e.StepId, e.On)),
            },
            EarlySignalSent e => s with { Version = v, EarlySignal = s.EarlySignal with { SentOn = e.On, Held = false } },
            EarlySignalHeld => s with { Version = v, EarlySignal = s.EarlySignal with { Held = true } },
            EarlySignalObjected => s with { Version = v, EarlySignal = s.EarlySignal with { Objected = true } },
            FormalNoticeSent e => s with { Version = v, Notice = new NoticeState(e.Proof, e.LastDayToPay, e.Principal, CostsCharged: false) },
            NoticeDeliveryRecorded e => s with { Version = v, Notice = s.Notice! with { Proof = e.Proof, LastDayToPay = e.LastDayToPay } },
            CollectionCostsCharged e => s with
            {
                Version = v,
                CostsCharged = s.CostsCharged + e.Costs + e.Vat,
                CostCharges = s.CostCharges.Add(new OpenCharge(e.On, e.Costs)),
                Notice = s.Notice is null ? null : s.Notice with { CostsCharged = true },
            },
            CallOutcomeRecorded e => s with
            {
                Version = v,
                EarlySignal = s.EarlySignal with
                {
                    ContactAttempted = s.EarlySignal.ContactAttempted || !e.Reached || e.AdviceGiven,
                    PointedToDebtCounselling = s.EarlySignal.PointedToDebtCounselling || e.PointedToDebtCounselling,
                },
                Ability = e.Ability ?? s.Ability,
                Willingness = e.Willingness ?? s.Willingness,
            },
            VisitOutcomeRecorded e => s with
            {
                Version = v,
                VisitAttempted = true,
                EarlySignal = s.EarlySignal with
                {
                    ContactAttempted = s.EarlySignal.ContactAttempted || !e.Met || e.AdviceGiven,
                    PointedToDebtCounselling = s.EarlySignal.PointedToDebtCounselling || e.PointedToDebtCounselling,
                },
                Ability = e.Ability ?? s.Ability,
                Willingness = e.Willingness ?? s.Willingness,
            },
            ArrangementActivated e => s with
            {
                Version = v,
                Arrangement = new ArrangementState(e.ArrangementId, ArrangementStatus.ACT, e.AgreedOn, e.Total, e.Instalments, CheckedThrough: 0),
                ArrangementsAgreedOn = s.ArrangementsAgreedOn.Add(e.AgreedOn),
            },
            InstalmentKept e => s with { Version = v, Arrangement = s.Arrangement! with { CheckedThrough = e.Number } },
            InstalmentMissed e => s with { Version = v, Arrangement = s.Arrangement! with { CheckedThrough = e.Number, Status = ArrangementStatus.BEV } },
            ArrangementResumed => s with { Version = v, Arrangement = s.Arrangement! with { Status = ArrangementStatus.ACT } },
            ArrangementEnded e => s with
            {
                Version = v,
                Arrangement = s.Arrangement! with { Status = e.Status },
                BrokenArrangements = s.BrokenArrangements + (e.EndReason == ArrangementEndReason.VOL ? 1 : 0),
            },
            PauseRequested e => s with { Version = v, Pause = new PauseState(e.Kind, e.Until, e.By, Approved: false, From: null) },
            PauseStarted e => s with { Version = v, Pause = s.Pause! with { Approved = true, From = e.From, Until = e.Until } },
            PauseEnded => s with { Version = v, Pause = null },
            WriteOffRequested e => s with { Version = v, WriteOffRequest = new WriteOffRequestState(e.By, e.WriteOffReason) },
            WrittenOff => s with { Version = v, Charges = [], WriteOffRequest = null },
            TenantDeparted e => s with { Version = v, DepartedOn = e.On, Track = CaseTrack.Departed, ProposedStep = null },
            LegalStepRecorded e => s with { Version = v, LegalSteps = s.LegalSteps.Add(e) },
            MailEventRecorded e => s with
            {
                Version = v,
                Mails = s.Mails.RemoveAll(m => m.EffectId == e.EffectId).Add(new MailStatus(e.EffectId, e.Template, e.Kind, e.OccurredAt)),
            },
            TenantFactsUpdated e => s with { Version = v, DirectDebit = e.DirectDebit, LateMonthsInLast12 = e.LateMonthsInLast12, Departing = e.Departing },
            // A proposal of the old policy may name a step the new one lacks; the new plan proposes again if it wants.
            PolicyMigrated e => s with { Version = v, PolicyVersion = e.To, ProposedStep = null, RejectedStep = null, ProposeAgainOn = null },
            CommandRejected or ArrangementRefused => s with { Version = v },
            CaseClosed e => s with
            {
                Version = v,
                Status = e.Outcome == CaseOutcome.Paid ? CaseStatus.Closed : CaseStatus.WrittenOff,
                ProposedStep = null,
                Pause = null,
                WriteOffRequest = null,
            },
            WaitChanged e => s with { Version = v, TimerId = e.TimerId, WaitingUntil = e.Due, WaitingFor = e.Purpose },
            _ => throw new ArgumentException($"Unknown event type {@event.GetType().Name}.", nameof(@event)),
        };

        // A branch that forgot to set the version would break the case's sequence without a sound.
        return next.Version == v ? next : throw new InvalidOperationException($"Apply of {@event.GetType().Name} did not set the version.");
    }

    private static CaseState Charge(CaseState s, int version, DateOnly dueDate, decimal amount)
    {
        var fromCredit = Math.Min(s.Credit, amount);
        var rest = amount - fromCredit;
        return s with
        {
            Version = version,
            Credit = s.Credit - fromCredit,
            Charges = rest > 0m ? s.Charges.Add(new OpenCharge(dueDate, rest)) : s.Charges,
        };
    }

    private static CaseState Restate(CaseState s, int version, BalanceDifferenceFound e)
    {
        var targetArrears = Math.Max(e.LedgerBalance, 0m);
        var credit = Math.Max(-e.LedgerBalance, 0m);
        var charges = s.Arrears < targetArrears
            ? s.Charges.Add(new OpenCharge(e.AsOf, targetArrears - s.Arrears))
            : Settle(s.Charges, s.Arrears - targetArrears, out _);
        return s with { Version = version, Charges = charges, Credit = credit };
    }

    private static CaseState Pay(CaseState s, int version, PaymentApplied e)
    {
        var charges = Settle(s.Charges, e.Amount, out var settled);
        var surplus = e.Amount;
        foreach (var charge in settled)
        {
            surplus -= charge.Amount;
        }

        var settlements = s.Settlements;
        if (e.ByDirectDebit)
        {
            settlements = settlements.Add(new Settlement(e.PaymentId, settled));
            if (settlements.Count > SettlementsKept)
            {
                settlements = settlements.RemoveAt(0);
            }
        }

        return s with { Version = version, Charges = charges, Credit = s.Credit + surplus, Settlements = settlements };
    }

    private static CaseState Reverse(CaseState s, int version, DirectDebitReversed e)
    {
        var settlement = s.Settlements.FirstOrDefault(x => x.PaymentId == e.PaymentId);
        var restored = settlement?.Settled ?? [];
        var rest = e.Amount - restored.Sum(c => c.Amount);
        var fromCredit = Math.Clamp(rest, 0m, s.Credit);
        rest -= fromCredit;
        var charges = s.Charges.AddRange(restored);
        if (rest > 0m)
        {
            charges = charges.Add(new OpenCharge(e.BookedOn, rest));
        }

        return s with
        {
            Version = version,
            Charges = [.. charges.OrderBy(c => c.DueDate)],
            Credit = s.Credit - fromCredit,
            Settlements = settlement is null ? s.Settlements : s.Settlements.Remove(settlement),
            Reversals = s.Reversals.Add(new TakenStep(e.ReasonCode, e.BookedOn)),
        };
    }

    /// <summary>Takes <paramref name="amount"/> off the charges, oldest due date first.</summary>
    private static ImmutableList<OpenCharge> Settle(ImmutableList<OpenCharge> charges, decimal amount, out ImmutableList<OpenCharge> settled)
    {
        var left = amount;
        var remaining = ImmutableList.CreateBuilder<OpenCharge>();
        var taken = ImmutableList.CreateBuilder<OpenCharge>();
        // The charges are nearly always in due-date order already, and then the stable sort is the list itself.
        foreach (var charge in InDueDateOrder(charges) ? charges : [.. charges.OrderBy(c => c.DueDate)])
        {
            var take = Math.Min(left, charge.Amount);
            left -= take;
            if (take > 0m)
            {
                taken.Add(charge with { Amount = take });
            }

            if (charge.Amount - take > 0m)
            {
                remaining.Add(charge with { Amount = charge.Amount - take });
            }
        }

        settled = taken.ToImmutable();
        return remaining.ToImmutable();
    }

    private static bool InDueDateOrder(ImmutableList<OpenCharge> charges)
    {
        DateOnly? previous = null;
        foreach (var charge in charges)
        {
            if (previous is { } p && charge.DueDate < p)
            {
                return false;
            }

            previous = charge.DueDate;
        }

        return true;
    }
}
