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
        var s = state with { Version = @event.Sequence };
        return @event switch
        {
            CaseOpened e => s with
            {
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
            SegmentChanged e => s with { Segment = e.To, Plan = e.Plan },
            RentCharged e => Charge(s, e.DueDate, e.Amount),
            BalanceDifferenceFound e => Restate(s, e),
            PaymentApplied e => Pay(s, e),
            DirectDebitReversed e => Reverse(s, e),
            StepTaken e => s with
            {
                Steps = s.Steps.Add(new TakenStep(e.StepId, e.On)),
                ProposedStep = s.ProposedStep == e.StepId ? null : s.ProposedStep,
                EarlySignal = s.EarlySignal with
                {
                    ReminderOffered = s.EarlySignal.ReminderOffered || e.OffersEarlySignal,
                    PointedToDebtCounselling = s.EarlySignal.PointedToDebtCounselling || e.PointsToDebtCounselling,
                },
            },
            StepProposed e => s with { ProposedStep = e.StepId },
            StepRejected e => s with { ProposedStep = null, RejectedStep = e.StepId, ProposeAgainOn = e.ProposeAgainOn },
            HandedOver e => s with
            {
                Status = CaseStatus.HandedOver,
                Handover = e,
                ProposedStep = null,
                Steps = s.Steps.Add(new TakenStep(e.StepId, e.On)),
            },
            EarlySignalSent e => s with { EarlySignal = s.EarlySignal with { SentOn = e.On, Held = false } },
            EarlySignalHeld => s with { EarlySignal = s.EarlySignal with { Held = true } },
            EarlySignalObjected => s with { EarlySignal = s.EarlySignal with { Objected = true } },
            FormalNoticeSent e => s with { Notice = new NoticeState(e.Proof, e.LastDayToPay, e.Principal, CostsCharged: false) },
            NoticeDeliveryRecorded e => s with { Notice = s.Notice! with { Proof = e.Proof, LastDayToPay = e.LastDayToPay } },
            CollectionCostsCharged e => s with
            {
                CostsCharged = s.CostsCharged + e.Costs + e.Vat,
                CostCharges = s.CostCharges.Add(new OpenCharge(e.On, e.Costs)),
                Notice = s.Notice is null ? null : s.Notice with { CostsCharged = true },
            },
            CallOutcomeRecorded e => s with
            {
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
                Arrangement = new ArrangementState(e.ArrangementId, ArrangementStatus.ACT, e.AgreedOn, e.Total, e.Instalments, CheckedThrough: 0),
                ArrangementsAgreedOn = s.ArrangementsAgreedOn.Add(e.AgreedOn),
            },
            InstalmentKept e => s with { Arrangement = s.Arrangement! with { CheckedThrough = e.Number } },
            InstalmentMissed e => s with { Arrangement = s.Arrangement! with { CheckedThrough = e.Number, Status = ArrangementStatus.BEV } },
            ArrangementResumed => s with { Arrangement = s.Arrangement! with { Status = ArrangementStatus.ACT } },
            ArrangementEnded e => s with
            {
                Arrangement = s.Arrangement! with { Status = e.Status },
                BrokenArrangements = s.BrokenArrangements + (e.EndReason == ArrangementEndReason.VOL ? 1 : 0),
            },
            PauseRequested e => s with { Pause = new PauseState(e.Kind, e.Until, e.By, Approved: false, From: null) },
            PauseStarted e => s with { Pause = s.Pause! with { Approved = true, From = e.From, Until = e.Until } },
            PauseEnded => s with { Pause = null },
            WriteOffRequested e => s with { WriteOffRequest = new WriteOffRequestState(e.By, e.WriteOffReason) },
            WrittenOff => s with { Charges = [], WriteOffRequest = null },
            TenantDeparted e => s with { DepartedOn = e.On, Track = CaseTrack.Departed, ProposedStep = null },
            LegalStepRecorded e => s with { LegalSteps = s.LegalSteps.Add(e) },
            MailEventRecorded e => s with
            {
                Mails = s.Mails.RemoveAll(m => m.EffectId == e.EffectId).Add(new MailStatus(e.EffectId, e.Template, e.Kind, e.OccurredAt)),
            },
            TenantFactsUpdated e => s with { DirectDebit = e.DirectDebit, LateMonthsInLast12 = e.LateMonthsInLast12, Departing = e.Departing },
            // A proposal of the old policy may name a step the new one lacks; the new plan proposes again if it wants.
            PolicyMigrated e => s with { PolicyVersion = e.To, ProposedStep = null, RejectedStep = null, ProposeAgainOn = null },
            CommandRejected or ArrangementRefused => s,
            CaseClosed e => s with
            {
                Status = e.Outcome == CaseOutcome.Paid ? CaseStatus.Closed : CaseStatus.WrittenOff,
                ProposedStep = null,
                Pause = null,
                WriteOffRequest = null,
            },
            WaitChanged e => s with { TimerId = e.TimerId, WaitingUntil = e.Due, WaitingFor = e.Purpose },
            _ => throw new ArgumentException($"Unknown event type {@event.GetType().Name}.", nameof(@event)),
        };
    }

    private static CaseState Charge(CaseState s, DateOnly dueDate, decimal amount)
    {
        var fromCredit = Math.Min(s.Credit, amount);
        var rest = amount - fromCredit;
        return s with
        {
            Credit = s.Credit - fromCredit,
            Charges = rest > 0m ? s.Charges.Add(new OpenCharge(dueDate, rest)) : s.Charges,
        };
    }

    private static CaseState Restate(CaseState s, BalanceDifferenceFound e)
    {
        var targetArrears = Math.Max(e.LedgerBalance, 0m);
        var credit = Math.Max(-e.LedgerBalance, 0m);
        var charges = s.Arrears < targetArrears
            ? s.Charges.Add(new OpenCharge(e.AsOf, targetArrears - s.Arrears))
            : Settle(s.Charges, s.Arrears - targetArrears, out _);
        return s with { Charges = charges, Credit = credit };
    }

    private static CaseState Pay(CaseState s, PaymentApplied e)
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

        return s with { Charges = charges, Credit = s.Credit + surplus, Settlements = settlements };
    }

    private static CaseState Reverse(CaseState s, DirectDebitReversed e)
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
