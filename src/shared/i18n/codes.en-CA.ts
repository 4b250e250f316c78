import { CATALOGUE_LIMITS as L } from '../contract/catalogue-schemas'
import { formatMoney } from '../format'
import type { codesFrCA } from './codes.fr-CA'

const n = (value: number) => new Intl.NumberFormat('en-CA').format(value)

export const codesEnCA: Record<keyof typeof codesFrCA, string> = {
  // ---------------------------------------------------------------------------------------------
  // The pre-publish checker
  'check.titleFrMissing': 'The French title is required.',
  'check.titleEnMissing': 'The English title is missing: English-speaking families will see the French title.',
  'check.descriptionFrMissing': 'The French description is empty: add a few words to explain the item to families.',
  'check.descriptionEnMissing': 'The English description is missing: English-speaking families will see the French description.',
  'check.openingMissing': 'Enter when the item opens to families.',
  'check.deadlineMissing': 'Enter the deadline.',
  'check.deadlineBeforeOpening': 'The deadline must be after the opening.',
  'check.deadlinePast': 'The deadline has already passed: choose a date to come.',
  'check.deadlineTooClose':
    'Families will only have {hours, plural, =0 {less than an hour} one {# hour} other {# hours}} to answer: give them at least 24 hours.',
  'check.reminderBeforeOpening':
    'The reminder, {days, plural, one {# day} other {# days}} before the deadline, would come before the opening: it will go at the opening.',
  'check.deadlineAfterYearEnd': 'The deadline falls after the end of the school year ({endsOn}): the item will stay open over the summer.',
  'check.noTarget': 'Choose who the item is for: the whole school, grades, classes or students.',
  'check.noEligibleStudent': 'No active student matches these choices: check the grades, classes or students.',
  'check.capacityAboveEligible':
    'The capacity ({capacity, plural, one {# seat} other {# seats}}) is more than the number of eligible students ({eligible, number}): check the buses or the venue limit.',
  'check.priceMissing': 'Enter a price ($0 if it is free).',
  'check.freeProductWarning': 'The price is $0: the item will be free. Make sure this is what you want.',
  'check.feeAmountMissing': 'Enter the amount of the fee.',
  'check.feePerMissing': 'Choose whether the fee is per student or per family.',
  'check.consentHasPrice': 'A consent form is free: remove the price ({priceCents, number, ::currency/CAD scale/0.01}).',
  'check.variantsNotAllowed': 'This kind of item has no variants: remove them.',
  'check.variantLabelMissing': 'A variant has no French name.',
  'check.variantWithoutPrice': 'The variant “{label}” has no price.',
  'check.duplicateVariant': 'The variant “{label}” appears twice: give it another name or remove it.',
  'check.variantLabelEnMissing':
    '{count, plural, one {# variant has} other {# variants have}} no English name: English-speaking families will see the French name.',
  'check.stockBelowPerStudent': 'The quantity available ({stock, number}) is less than the maximum per student ({perStudent, number}).',
  'check.programNoDates': 'Add at least one date to the program.',
  'check.programTooManyDates': 'The program has {count, number} dates, out of a maximum of {max, number}: remove dates or make a second program.',
  'check.programDateInvalid': '“{value}” is not a valid date.',
  'check.programDateDuplicate': '{date} appears twice: keep this date only once.',
  'check.programDateOnDayOff':
    '{reason, select, weekend {{date} falls on a weekend} holiday {{date} is a holiday} pd_day {{date} is a PD day} closure {The school is closed on {date}} other {{date} is outside the school year}}: no delivery that day. Remove this date.',
  'check.programDatePast': '{date} has already passed: remove this date.',
  'check.programDateNoCutoff': 'Enter until when families can order for {date}.',
  'check.programDateAfterCutoff': 'For {date}, the order cutoff ({cutoffDate}) falls after the delivery: it must come before.',
  'check.programCutoffPast': 'Orders for {date} are already closed: families will not be able to choose this date.',
  'check.programCutoffBeforeOpening': 'Orders for {date} close before the item opens: families will not be able to choose this date.',
  'check.programNoSupplier': '{count, plural, one {# date has} other {# dates have}} no supplier: enter it for the order sheets.',
  'check.outingMissing': 'Fill in the outing’s details: dates, place, buses.',
  'check.outingDateMissing': 'Enter the outing’s departure date.',
  'check.outingEndsBeforeStart': 'The return date must be the day of departure or later.',
  'check.outingDatePast': 'The departure date ({date}) has already passed.',
  'check.outingOnDayOff':
    '{reason, select, weekend {{date} falls on a weekend} holiday {{date} is a holiday} pd_day {{date} is a PD day} closure {The school is closed on {date}} other {{date} is outside the school year}}: check the outing’s dates.',
  'check.outingDestinationMissing': 'Enter where the outing goes.',
  'check.outingTimesMissing': 'Enter the departure and return times: families need them.',
  'check.outingTimesReversed': 'The return time must be after the departure time.',
  'check.outingNoChaperoneRatio': 'Enter the number of students per chaperone.',
  'check.outingNoBus': 'No bus is planned: make sure the outing is on foot.',
  'check.outingBusNoSeats': 'Enter the number of seats per bus.',
  'check.outingNoSeatsForStudents':
    'Staff ({staff, plural, one {# person} other {# people}}) take all the seats on the buses ({seats, number}): none are left for students. Add a bus.',
  'check.outingNoStaff': 'No staff member is planned for the outing.',
  'check.deadlineAfterOuting': 'The deadline falls after the outing leaves ({date}): move it earlier.',
  'check.deadlineCloseToOuting':
    'There {hours, plural, =0 {is less than an hour} one {is # hour} other {are # hours}} between the deadline and the departure: allow at least 48 hours to confirm the buses and the venue.',
  'check.consentNoQuestion': 'A consent form needs at least one question.',
  'check.questionLabelMissing': 'A question has no French text.',
  'check.questionLabelEnMissing':
    '{count, plural, one {# question or choice has} other {# questions or choices have}} no English text: English-speaking families will see the French text.',
  'check.questionChoicesMissing': 'A multiple-choice question must offer at least {min, number} choices.',
  'check.questionChoiceLabelMissing': 'A choice has no French text.',
  'check.questionDuplicateChoice': 'The choice “{label}” appears twice: give it another text or remove it.',

  // ---------------------------------------------------------------------------------------------
  // Changes refused once families paid or answered
  'change.itemFinal': 'An archived or cancelled item can no longer be changed. To offer it again, duplicate it.',
  'change.needsNewItem': 'The kind of item can no longer change: create a new item.',
  'change.priceAfterPayment': 'The price can no longer change: families have already paid. For another price, create a new item.',
  'change.priceAfterConsent': 'The outing’s cost can no longer change: parents have already consented at this cost. For another cost, create a new item.',
  'change.paidVariantRemoved': 'The variant “{label}” has already been paid for: it cannot be deleted. Stop selling it instead.',
  'change.targetNarrowed':
    'Families have already paid or answered: you can no longer remove {kind, select, school {the whole school} grade {a grade} class {a class} student {a student} other {a choice}} from “who can buy or answer”. For another audience, create a new item.',
  'change.paidDateRemoved': '{date} has already been paid for: this date cannot be deleted. Cancel it instead (families will be refunded).',
  'change.paidDateMoved': 'A date already paid for cannot be moved: cancel it (families will be refunded), then add the new date.',
  'change.earlierCutoff': 'The order cutoff for {date} cannot be moved earlier: families are counting on the time announced. Put back the previous time.',
  'change.earlierDeadline': 'The deadline cannot be moved earlier: families are counting on the time announced. You can only move it later.',
  'change.laterOpening': 'The opening can no longer be delayed: families have already paid or answered.',
  'change.questionsAfterAnswers': 'The questions can no longer change: families have already answered them. For other questions, create a new item.',
  'change.outingTermsAfterConsent':
    'The outing’s dates and place can no longer change: parents have already consented to them. Create a new item or cancel the outing.',
  'change.stockBelowSold': 'The quantity available cannot be less than what has already been sold ({sold, number}).',
  'change.remedy.revert': 'Put back the previous value.',
  'change.remedy.newItem': 'Create a new item.',
  'change.remedy.cancelDate': 'Cancel the date: families will be refunded.',
  'change.remedy.deactivateVariant': 'Stop selling this variant.',

  // ---------------------------------------------------------------------------------------------
  // The lifecycle
  'lifecycle.sameStatus':
    'The item is already {status, select, draft {a draft} published {published} closed {closed} archived {archived} cancelled {cancelled} other {in this status}}.',
  'lifecycle.notAllowed':
    'An item that is “{from, select, draft {Draft} published {Published} closed {Closed} archived {Archived} cancelled {Cancelled} other {{from}}}” cannot become “{to, select, draft {Draft} published {Published} closed {Closed} archived {Archived} cancelled {Cancelled} other {{to}}}”.',
  'lifecycle.reasonRequired': 'Give the reason for cancelling.',
  'lifecycle.deadlinePassed': 'The deadline has already passed: move it later before publishing the item.',
  'lifecycle.reopenNeedsLaterDeadline': 'To reopen the item, first move the deadline later.',

  // ---------------------------------------------------------------------------------------------
  // Proposing program dates
  'program.badDate': '“{value}” is not a valid date.',
  'program.badWeekday': 'Invalid day of the week ({value}): choose from Monday to Sunday.',
  'program.rangeReversed': 'The end date ({to}) comes before the start date ({from}).',
  'program.rangeTooLong': 'The period is longer than {max, number} days: check the year of the dates.',
  'program.badCutoff': `The order cutoff must be 0 to ${n(L.maxCutoffSchoolDays)} school days before the date, at a valid time (HH:MM).`,
  'program.tooManyDates': 'That would be {count, number} dates, out of a maximum of {max, number}: shorten the period or choose fewer days.',

  // ---------------------------------------------------------------------------------------------
  // The school calendar file
  'calendar.empty': 'The file has no days: it needs a header line (date, type, libelle_fr), then one line per day off.',
  'calendar.tooLarge': 'The file is too large for a school calendar: make sure it is the right file.',
  'calendar.missingColumn': 'The column “{column}” is missing from the header line. Expected columns: date, type, libelle_fr and, if needed, libelle_en.',
  'calendar.badQuotes': 'A quotation mark is opened but not closed: fix the line in the file.',
  'calendar.badDate': '“{value}” is not a valid date: write it YYYY-MM-DD, for example 2027-02-12.',
  'calendar.badType': 'Unknown type “{value}”: write congé, férié, pédagogique or fermeture (or holiday, pd_day, closure).',
  'calendar.missingLabel': 'The French label (libelle_fr) is empty.',
  'calendar.labelTooLong': 'The label is too long: {max, plural, one {# character} other {# characters}} at most.',
  'calendar.conflict': '{date} is already on line {firstLine} with another type or label: keep only one line for this day.',
  'calendar.duplicate': '{date} repeats line {firstLine}: this line is skipped.',
  'calendar.outsideYear': '{date} is outside the school year ({startsOn} to {endsOn}): this line is skipped.',
  'calendar.weekend': '{date} falls on a weekend: this day off changes nothing, but it is kept.',
  'calendar.yearEndsBeforeStart': 'The school year must end after its first day: check both dates.',

  // ---------------------------------------------------------------------------------------------
  // The catalogue's hard limits
  'validation.invalid': 'This value is not valid: check it.',
  'validation.badDate': 'This date does not exist: enter a valid date.',
  'validation.badTime': 'Invalid time: enter it as HH:MM, for example 08:30.',
  'validation.badInstant': 'Enter a valid date and time.',
  'validation.priceRequired': 'Enter a price ($0 if it is free).',
  'validation.priceNotCents': 'The amount must be in dollars and cents, with no fraction of a cent.',
  'validation.priceNegative': 'The price cannot be negative.',
  'validation.priceTooHigh': `The price cannot be more than ${formatMoney(L.maxPriceCents, 'en-CA')}.`,
  'validation.targetValue': 'One of the choices in “who can buy or answer” is empty: choose it again.',
  'validation.badGrade': 'This grade does not exist: choose from kindergarten to grade 12.',
  'validation.labelFrRequired': 'The French name is required.',
  'validation.labelTooLong': 'This text is too long: shorten it.',
  'validation.supplierTooLong': `The supplier’s name is too long: ${n(L.supplierMax)} characters at most.`,
  'validation.destinationTooLong': `The place is too long: ${n(L.destinationMax)} characters at most.`,
  'validation.venueLimitRange': `The venue limit must be a whole number from 1 to ${n(L.maxVenue)}.`,
  'validation.busCountRange': `The number of buses must be a whole number from 0 to ${n(L.maxBuses)}.`,
  'validation.seatsPerBusRange': `The number of seats per bus must be a whole number from 0 to ${n(L.maxSeatsPerBus)}.`,
  'validation.staffCountRange': `The number of staff members must be a whole number from 0 to ${n(L.maxStaff)}.`,
  'validation.chaperoneRatioRange': `The number of students per chaperone must be a whole number from 1 to ${n(L.maxChaperoneRatio)}.`,
  'validation.outingEndsBeforeStart': 'The return date must be the day of departure or later.',
  'validation.outingTooLong': `An outing lasts ${n(L.maxOutingDays)} days at most: check the return date.`,
  'validation.choiceLabelRequired': 'Each choice needs a French text.',
  'validation.questionLabelRequired': 'The French text of the question is required.',
  'validation.tooManyChoices': `A question has ${n(L.maxChoices)} choices at most.`,
  'validation.tooFewChoices': `A multiple-choice question must offer at least ${n(L.minChoices)} choices.`,
  'validation.choicesOnlyForChoice': 'Only a “Choice” question has choices: remove them or change the kind of question.',
  'validation.titleFrRequired': 'The French title is required.',
  'validation.titleTooLong': `The title is too long: ${n(L.titleMax)} characters at most.`,
  'validation.descriptionTooLong': `The description is too long: ${n(L.descriptionMax)} characters at most.`,
  'validation.stockLimitRange': `The quantity available must be a whole number from 1 to ${n(L.maxStock)}, or empty for no limit.`,
  'validation.perStudentLimitRange': `The maximum per student must be a whole number from 1 to ${n(L.maxPerStudent)}, or empty for no limit.`,
  'validation.reminderDaysRange': `The reminder must go 0 to ${n(L.maxReminderDays)} days before the deadline (0: no reminder).`,
  'validation.tooManyTargets': `There are too many choices in “who can buy or answer”: ${n(L.maxTargets)} at most.`,
  'validation.tooManyVariants': `An item has ${n(L.maxVariants)} variants at most.`,
  'validation.tooManyDates': 'There are too many dates: shorten the period or choose fewer days.',
  'validation.tooManyQuestions': `An item has ${n(L.maxQuestions)} questions at most.`,
  'validation.deadlineBeforeOpening': 'The deadline must be after the opening.',
  'validation.outingRequired': 'Fill in the outing’s details: dates, place, buses.',
  'validation.outingOnlyForOutings': 'Only an outing has outing details: remove them or choose the kind “Outing”.',
  'validation.datesOnlyForPrograms': 'Only a program has dates: remove the dates or choose the kind “Program”.',
  'validation.feePerRequired': 'Choose whether the fee is per student or per family.',
  'validation.duplicateDate': 'This date is already in the list: keep it only once.',
  'validation.duplicateTarget': 'This choice is already in the list: keep it only once.',
  'validation.cutoffDaysRange': `The order cutoff must be 0 to ${n(L.maxCutoffSchoolDays)} school days before the date.`,
  'validation.badWeekday': 'Choose days from Monday to Sunday.',
  'validation.reasonRequired': 'Give the reason.',
  'validation.reasonTooLong': `The reason is too long: ${n(L.cancelReasonMax)} characters at most.`,

  // ---------------------------------------------------------------------------------------------
  // The money rules
  'refund.paymentVoided': 'This payment was cancelled before it was collected: there is nothing to refund.',
  'refund.amountNotCents': 'The amount must be in dollars and cents, with no fraction of a cent.',
  'refund.amountNotPositive': 'The refund amount must be more than $0.',
  'refund.exceedsRemaining': 'The amount is more than what is left to refund on this payment: enter a smaller amount.',
  'waiver.amountNotCents': 'The amount must be in dollars and cents, with no fraction of a cent.',
  'waiver.amountNotPositive': 'The waiver amount must be more than $0.',
  'waiver.exceedsPrice': 'The waiver is more than what is left to pay for this student: {maxCents, number, ::currency/CAD scale/0.01} at most.',
  'waiver.exceedsBudget': 'The waiver is more than what is left of the school’s assistance budget: {remainingBudgetCents, number, ::currency/CAD scale/0.01}.',

  // ---------------------------------------------------------------------------------------------
  // The card processors
  'charge.declined': 'The card was declined. Try another card.',
  'charge.insufficientFunds': 'The card was declined: insufficient funds. Try another card.',
  'charge.expiredCard': 'The card has expired. Try another card.',
  'charge.incorrectCvc': 'The card’s security code is incorrect. Check it and try again.',
  'charge.processingError': 'An error occurred while processing the card. Try again in a moment.',
  'charge.lostOrStolen': 'The card was declined by the bank. Try another card.',
  'charge.authenticationRequired': 'The bank is asking for a verification that this payment cannot do. Try another card.',
  'charge.canceled': 'The payment was cancelled on the card reader. Nothing was charged.',
  'charge.timedOut': 'No card was presented in time. Start the payment again.',
  'charge.amountNotPositive': 'The amount to pay must be more than $0.',
  'charge.amountTooSmall': 'The amount is too small for a card payment: {minimumCents, number, ::currency/CAD scale/0.01} at least.',
  'processor.notFound': 'The payment processor cannot find this payment or refund. Contact technical support.',
  'processor.idempotencyMismatch': 'The request was not processed because of an internal error. Contact technical support.',
  'processor.notAuthorized': 'Stripe refused this computer’s key: check the Stripe key in Settings.',
  'processor.testCardInLiveMode': 'A test card cannot be used with a live Stripe key.',
  'processor.unknownTestCard': 'This card is not a demo card: use one of the demo cards.',
  'processor.invalidRequest': 'The payment processor refused the request. Try again; if the problem continues, contact technical support.',
  'processor.demoNotice': 'Demo — no real payment',
  'terminal.readerOffline': 'The card reader is not connected: make sure it is on and plugged in, then try again.',
  'terminal.readerBusy': 'The card reader is already taking another payment: wait until it is free, then try again.',
}
