import { CATALOGUE_LIMITS as L } from '../contract/catalogue-schemas'
import { formatMoney } from '../format'

/**
 * Messages of the codes the core's rules give: the pre-publish checker (check.*), the changes
 * refused once families paid or answered (change.*), the lifecycle, the program dates, the
 * school calendar file, the catalogue's hard limits (validation.*), the money rules and the card
 * processors. tests/unit/i18n-codes.test.ts finds the codes in the sources and holds each to a
 * message here.
 *
 * What each message may use is what its code is given (see the comments next to the codes):
 * - validation.* are translated without values, and so are the change.* codes the form shows as
 *   locks: their limits are written in from CATALOGUE_LIMITS, not passed.
 * - Dates ({date}, {endsOn}…) arrive as YYYY-MM-DD; amounts in cents (…Cents) are formatted here.
 */
const n = (value: number) => new Intl.NumberFormat('fr-CA').format(value)

export const codesFrCA = {
  // ---------------------------------------------------------------------------------------------
  // The pre-publish checker (core/domain/catalogue/checks.ts)
  'check.titleFrMissing': 'Le titre en français est obligatoire.',
  'check.titleEnMissing': 'Le titre en anglais manque : les familles anglophones verront le titre en français.',
  'check.descriptionFrMissing': 'La description en français est vide : ajoutez quelques mots pour expliquer l’article aux familles.',
  'check.descriptionEnMissing': 'La description en anglais manque : les familles anglophones verront la description en français.',
  'check.openingMissing': 'Indiquez quand l’article ouvre aux familles.',
  'check.deadlineMissing': 'Indiquez la date limite.',
  'check.deadlineBeforeOpening': 'La date limite doit être après l’ouverture.',
  'check.deadlinePast': 'La date limite est déjà passée : choisissez une date à venir.',
  'check.deadlineTooClose':
    'Les familles n’auront que {hours, plural, =0 {moins d’une heure} one {# heure} other {# heures}} pour répondre : laissez-leur au moins 24 heures.',
  'check.reminderBeforeOpening':
    'Le rappel, {days, plural, one {# jour} other {# jours}} avant la date limite, tomberait avant l’ouverture : il partira à l’ouverture.',
  'check.deadlineAfterYearEnd': 'La date limite tombe après la fin de l’année scolaire ({endsOn}) : l’article restera ouvert pendant l’été.',
  'check.noTarget': 'Choisissez à qui s’adresse l’article : toute l’école, des années, des classes ou des élèves.',
  'check.noEligibleStudent': 'Aucun élève actif ne correspond à ces choix : vérifiez les années, les classes ou les élèves.',
  'check.capacityAboveEligible':
    'La capacité ({capacity, plural, one {# place} other {# places}}) dépasse le nombre d’élèves admissibles ({eligible, number}) : vérifiez les autobus ou la limite du lieu.',
  'check.priceMissing': 'Entrez un prix (0 $ si c’est gratuit).',
  'check.freeProductWarning': 'Le prix est de 0 $ : l’article sera gratuit. Vérifiez que c’est bien voulu.',
  'check.feeAmountMissing': 'Entrez le montant des frais.',
  'check.feePerMissing': 'Choisissez si les frais sont par élève ou par famille.',
  'check.consentHasPrice': 'Un formulaire de consentement est gratuit : retirez le prix ({priceCents, number, ::currency/CAD scale/0.01}).',
  'check.variantsNotAllowed': 'Ce type d’article n’a pas de variantes : retirez-les.',
  'check.variantLabelMissing': 'Une variante n’a pas de nom en français.',
  'check.variantWithoutPrice': 'La variante « {label} » n’a pas de prix.',
  'check.duplicateVariant': 'La variante « {label} » est en double : donnez-lui un autre nom ou retirez-la.',
  'check.variantLabelEnMissing':
    '{count, plural, one {# variante n’a pas} other {# variantes n’ont pas}} de nom en anglais : les familles anglophones verront le nom en français.',
  'check.stockBelowPerStudent': 'La quantité disponible ({stock, number}) est plus petite que le maximum par élève ({perStudent, number}).',
  'check.programNoDates': 'Ajoutez au moins une date au programme.',
  'check.programTooManyDates': 'Le programme compte {count, number} dates, pour un maximum de {max, number} : retirez des dates ou faites un deuxième programme.',
  'check.programDateInvalid': '« {value} » n’est pas une date valide.',
  'check.programDateDuplicate': 'Le {date} est en double : gardez cette date une seule fois.',
  'check.programDateOnDayOff':
    '{reason, select, weekend {Le {date} tombe une fin de semaine} holiday {Le {date} est un congé} pd_day {Le {date} est une journée pédagogique} closure {L’école est fermée le {date}} other {Le {date} est en dehors de l’année scolaire}} : aucune livraison ce jour-là. Retirez cette date.',
  'check.programDatePast': 'Le {date} est déjà passé : retirez cette date.',
  'check.programDateNoCutoff': 'Indiquez jusqu’à quand les familles peuvent commander pour le {date}.',
  'check.programDateAfterCutoff': 'Pour le {date}, la fin des commandes ({cutoffDate}) tombe après la livraison : elle doit venir avant.',
  'check.programCutoffPast': 'Les commandes pour le {date} sont déjà closes : les familles ne pourront pas choisir cette date.',
  'check.programCutoffBeforeOpening':
    'Les commandes pour le {date} se terminent avant l’ouverture de l’article : les familles ne pourront pas choisir cette date.',
  'check.programNoSupplier':
    '{count, plural, one {# date n’a pas} other {# dates n’ont pas}} de fournisseur : indiquez-le pour les bons de commande.',
  'check.outingMissing': 'Remplissez les renseignements de la sortie : dates, lieu, autobus.',
  'check.outingDateMissing': 'Indiquez la date de départ de la sortie.',
  'check.outingEndsBeforeStart': 'La date de retour doit être le jour du départ ou après.',
  'check.outingDatePast': 'La date de départ ({date}) est déjà passée.',
  'check.outingOnDayOff':
    '{reason, select, weekend {Le {date} tombe une fin de semaine} holiday {Le {date} est un congé} pd_day {Le {date} est une journée pédagogique} closure {L’école est fermée le {date}} other {Le {date} est en dehors de l’année scolaire}} : vérifiez les dates de la sortie.',
  'check.outingDestinationMissing': 'Indiquez le lieu de la sortie.',
  'check.outingTimesMissing': 'Indiquez l’heure de départ et l’heure de retour : les familles en ont besoin.',
  'check.outingTimesReversed': 'L’heure de retour doit être après l’heure de départ.',
  'check.outingNoChaperoneRatio': 'Indiquez le nombre d’élèves par accompagnateur.',
  'check.outingNoBus': 'Aucun autobus n’est prévu : vérifiez que la sortie se fait bien à pied.',
  'check.outingBusNoSeats': 'Indiquez le nombre de places par autobus.',
  'check.outingNoSeatsForStudents':
    'Le personnel ({staff, plural, one {# personne} other {# personnes}}) occupe toutes les places des autobus ({seats, number}) : il n’en reste aucune pour les élèves. Ajoutez un autobus.',
  'check.outingNoStaff': 'Aucun membre du personnel n’est prévu pour la sortie.',
  'check.deadlineAfterOuting': 'La date limite tombe après le départ de la sortie ({date}) : avancez-la.',
  'check.deadlineCloseToOuting':
    'Il reste {hours, plural, =0 {moins d’une heure} one {# heure} other {# heures}} entre la date limite et le départ : prévoyez au moins 48 heures pour confirmer les autobus et le lieu.',
  'check.consentNoQuestion': 'Un formulaire de consentement a besoin d’au moins une question.',
  'check.questionLabelMissing': 'Une question n’a pas de texte en français.',
  'check.questionLabelEnMissing':
    '{count, plural, one {# question ou choix n’a pas} other {# questions ou choix n’ont pas}} de texte en anglais : les familles anglophones verront le texte en français.',
  'check.questionChoicesMissing': 'Une question à choix doit offrir au moins {min, number} choix.',
  'check.questionChoiceLabelMissing': 'Un choix n’a pas de texte en français.',
  'check.questionDuplicateChoice': 'Le choix « {label} » est en double : donnez-lui un autre texte ou retirez-le.',

  // ---------------------------------------------------------------------------------------------
  // Changes refused once families paid or answered (core/domain/catalogue/changes.ts). The
  // codes the form also shows as locks get no values.
  'change.itemFinal': 'Un article archivé ou annulé ne peut plus être modifié. Pour l’offrir de nouveau, dupliquez-le.',
  'change.needsNewItem': 'Le type d’article ne peut plus changer : créez un nouvel article.',
  'change.priceAfterPayment': 'Le prix ne peut plus changer : des familles ont déjà payé. Pour un autre prix, créez un nouvel article.',
  'change.priceAfterConsent':
    'Le coût de la sortie ne peut plus changer : des parents ont déjà donné leur consentement à ce coût. Pour un autre coût, créez un nouvel article.',
  'change.paidVariantRemoved': 'La variante « {label} » a déjà été payée : elle ne peut pas être supprimée. Arrêtez plutôt de la vendre.',
  'change.targetNarrowed':
    'Des familles ont déjà payé ou répondu : vous ne pouvez plus retirer {kind, select, school {toute l’école} grade {une année} class {une classe} student {un élève} other {un choix}} de « qui peut l’acheter ou y répondre ». Pour un autre public, créez un nouvel article.',
  'change.paidDateRemoved': 'Le {date} a déjà été payé : cette date ne peut pas être supprimée. Annulez-la plutôt (les familles seront remboursées).',
  'change.paidDateMoved':
    'Une date déjà payée ne peut pas être déplacée : annulez-la (les familles seront remboursées), puis ajoutez la nouvelle date.',
  'change.earlierCutoff': 'La fin des commandes du {date} ne peut pas être avancée : des familles comptent sur le délai annoncé. Remettez l’heure d’avant.',
  'change.earlierDeadline': 'La date limite ne peut pas être avancée : des familles comptent sur le délai annoncé. Vous pouvez seulement la reporter.',
  'change.laterOpening': 'L’ouverture ne peut plus être retardée : des familles ont déjà payé ou répondu.',
  'change.questionsAfterAnswers':
    'Les questions ne peuvent plus changer : des familles y ont déjà répondu. Pour d’autres questions, créez un nouvel article.',
  'change.outingTermsAfterConsent':
    'Les dates et le lieu de la sortie ne peuvent plus changer : des parents y ont déjà consenti. Créez un nouvel article ou annulez la sortie.',
  'change.stockBelowSold': 'La quantité disponible ne peut pas être plus petite que ce qui est déjà vendu ({sold, number}).',
  // What the form offers instead (ChangeRemedy)
  'change.remedy.revert': 'Remettez la valeur d’avant.',
  'change.remedy.newItem': 'Créez un nouvel article.',
  'change.remedy.cancelDate': 'Annulez la date : les familles seront remboursées.',
  'change.remedy.deactivateVariant': 'Arrêtez de vendre cette variante.',

  // ---------------------------------------------------------------------------------------------
  // The lifecycle (core/domain/catalogue/lifecycle.ts)
  'lifecycle.sameStatus':
    'L’article est déjà {status, select, draft {en brouillon} published {publié} closed {fermé} archived {archivé} cancelled {annulé} other {dans ce statut}}.',
  'lifecycle.notAllowed':
    'Un article « {from, select, draft {Brouillon} published {Publié} closed {Fermé} archived {Archivé} cancelled {Annulé} other {{from}}} » ne peut pas passer à « {to, select, draft {Brouillon} published {Publié} closed {Fermé} archived {Archivé} cancelled {Annulé} other {{to}}} ».',
  'lifecycle.reasonRequired': 'Donnez la raison de l’annulation.',
  'lifecycle.deadlinePassed': 'La date limite est déjà passée : reportez-la avant de publier l’article.',
  'lifecycle.reopenNeedsLaterDeadline': 'Pour rouvrir l’article, reportez d’abord la date limite.',

  // ---------------------------------------------------------------------------------------------
  // Proposing program dates (core/domain/catalogue/program-dates.ts)
  'program.badDate': '« {value} » n’est pas une date valide.',
  'program.badWeekday': 'Jour de la semaine invalide ({value}) : choisissez du lundi au dimanche.',
  'program.rangeReversed': 'La date de fin ({to}) vient avant la date de début ({from}).',
  'program.rangeTooLong': 'La période dépasse {max, number} jours : vérifiez l’année des dates.',
  'program.badCutoff': `La fin des commandes doit être de 0 à ${n(L.maxCutoffSchoolDays)} jours d’école avant la date, à une heure valide (HH:MM).`,
  'program.tooManyDates': 'Cela ferait {count, number} dates, pour un maximum de {max, number} : raccourcissez la période ou choisissez moins de jours.',

  // ---------------------------------------------------------------------------------------------
  // The school calendar file (core/domain/catalogue/calendar.ts); the screen adds the line number.
  'calendar.empty': 'Le fichier ne contient aucun jour : il faut une ligne d’en-tête (date, type, libelle_fr), puis une ligne par jour de congé.',
  'calendar.tooLarge': 'Le fichier est trop gros pour un calendrier scolaire : vérifiez que c’est le bon fichier.',
  'calendar.missingColumn': 'La colonne « {column} » manque dans la ligne d’en-tête. Colonnes attendues : date, type, libelle_fr et, au besoin, libelle_en.',
  'calendar.badQuotes': 'Un guillemet ouvert n’est pas fermé : corrigez la ligne dans le fichier.',
  'calendar.badDate': '« {value} » n’est pas une date valide : écrivez-la AAAA-MM-JJ, par exemple 2027-02-12.',
  'calendar.badType': 'Type « {value} » inconnu : écrivez congé, férié, pédagogique ou fermeture.',
  'calendar.missingLabel': 'Le libellé en français (libelle_fr) est vide.',
  'calendar.labelTooLong': 'Le libellé est trop long : {max, plural, one {# caractère} other {# caractères}} au maximum.',
  'calendar.conflict': 'Le {date} figure déjà à la ligne {firstLine} avec un autre type ou un autre libellé : gardez une seule ligne pour ce jour.',
  'calendar.duplicate': 'Le {date} répète la ligne {firstLine} : cette ligne est ignorée.',
  'calendar.outsideYear': 'Le {date} est en dehors de l’année scolaire (du {startsOn} au {endsOn}) : cette ligne est ignorée.',
  'calendar.weekend': 'Le {date} tombe une fin de semaine : ce congé ne change rien, mais il est gardé.',
  'calendar.yearEndsBeforeStart': 'L’année scolaire doit finir après son premier jour : vérifiez les deux dates.',

  // ---------------------------------------------------------------------------------------------
  // The catalogue's hard limits (shared/contract/catalogue-schemas.ts), translated without values
  'validation.invalid': 'Cette valeur n’est pas valide : vérifiez-la.',
  'validation.badDate': 'Cette date n’existe pas : entrez une date valide.',
  'validation.badTime': 'Heure invalide : entrez-la sous la forme HH:MM, par exemple 08:30.',
  'validation.badInstant': 'Entrez une date et une heure valides.',
  'validation.priceRequired': 'Entrez un prix (0 $ si c’est gratuit).',
  'validation.priceNotCents': 'Le montant doit être en dollars et en cents, sans fraction de cent.',
  'validation.priceNegative': 'Le prix ne peut pas être négatif.',
  'validation.priceTooHigh': `Le prix ne peut pas dépasser ${formatMoney(L.maxPriceCents, 'fr-CA')}.`,
  'validation.targetValue': 'Un des choix de « qui peut l’acheter ou y répondre » est vide : choisissez-le de nouveau.',
  'validation.badGrade': 'Cette année d’études n’existe pas : choisissez de la maternelle à la 12e année.',
  'validation.labelFrRequired': 'Le nom en français est obligatoire.',
  'validation.labelTooLong': 'Ce texte est trop long : raccourcissez-le.',
  'validation.supplierTooLong': `Le nom du fournisseur est trop long : ${n(L.supplierMax)} caractères au maximum.`,
  'validation.destinationTooLong': `Le lieu est trop long : ${n(L.destinationMax)} caractères au maximum.`,
  'validation.venueLimitRange': `La limite du lieu doit être un nombre entier de 1 à ${n(L.maxVenue)}.`,
  'validation.busCountRange': `Le nombre d’autobus doit être un nombre entier de 0 à ${n(L.maxBuses)}.`,
  'validation.seatsPerBusRange': `Le nombre de places par autobus doit être un nombre entier de 0 à ${n(L.maxSeatsPerBus)}.`,
  'validation.staffCountRange': `Le nombre de membres du personnel doit être un nombre entier de 0 à ${n(L.maxStaff)}.`,
  'validation.chaperoneRatioRange': `Le nombre d’élèves par accompagnateur doit être un nombre entier de 1 à ${n(L.maxChaperoneRatio)}.`,
  'validation.outingEndsBeforeStart': 'La date de retour doit être le jour du départ ou après.',
  'validation.outingTooLong': `Une sortie dure au plus ${n(L.maxOutingDays)} jours : vérifiez la date de retour.`,
  'validation.choiceLabelRequired': 'Chaque choix doit avoir un texte en français.',
  'validation.questionLabelRequired': 'Le texte de la question en français est obligatoire.',
  'validation.tooManyChoices': `Une question a au plus ${n(L.maxChoices)} choix.`,
  'validation.tooFewChoices': `Une question à choix doit offrir au moins ${n(L.minChoices)} choix.`,
  'validation.choicesOnlyForChoice': 'Seule une question de type « Choix » a des choix : retirez-les ou changez le type de la question.',
  'validation.titleFrRequired': 'Le titre en français est obligatoire.',
  'validation.titleTooLong': `Le titre est trop long : ${n(L.titleMax)} caractères au maximum.`,
  'validation.descriptionTooLong': `La description est trop longue : ${n(L.descriptionMax)} caractères au maximum.`,
  'validation.stockLimitRange': `La quantité disponible doit être un nombre entier de 1 à ${n(L.maxStock)}, ou vide pour aucune limite.`,
  'validation.perStudentLimitRange': `Le maximum par élève doit être un nombre entier de 1 à ${n(L.maxPerStudent)}, ou vide pour aucune limite.`,
  'validation.reminderDaysRange': `Le rappel doit partir de 0 à ${n(L.maxReminderDays)} jours avant la date limite (0 : aucun rappel).`,
  'validation.tooManyTargets': `Il y a trop de choix dans « qui peut l’acheter ou y répondre » : ${n(L.maxTargets)} au maximum.`,
  'validation.tooManyVariants': `Un article a au plus ${n(L.maxVariants)} variantes.`,
  'validation.tooManyDates': 'Il y a trop de dates : raccourcissez la période ou choisissez moins de jours.',
  'validation.tooManyQuestions': `Un article a au plus ${n(L.maxQuestions)} questions.`,
  'validation.deadlineBeforeOpening': 'La date limite doit être après l’ouverture.',
  'validation.outingRequired': 'Remplissez les renseignements de la sortie : dates, lieu, autobus.',
  'validation.outingOnlyForOutings': 'Seule une sortie a des renseignements de sortie : retirez-les ou choisissez le type « Sortie ».',
  'validation.datesOnlyForPrograms': 'Seul un programme a des dates : retirez les dates ou choisissez le type « Programme ».',
  'validation.feePerRequired': 'Choisissez si les frais sont par élève ou par famille.',
  'validation.duplicateDate': 'Cette date est déjà dans la liste : gardez-la une seule fois.',
  'validation.duplicateTarget': 'Ce choix est déjà dans la liste : gardez-le une seule fois.',
  'validation.cutoffDaysRange': `La fin des commandes doit être de 0 à ${n(L.maxCutoffSchoolDays)} jours d’école avant la date.`,
  'validation.badWeekday': 'Choisissez des jours du lundi au dimanche.',
  'validation.reasonRequired': 'Donnez la raison.',
  'validation.reasonTooLong': `La raison est trop longue : ${n(L.cancelReasonMax)} caractères au maximum.`,

  // ---------------------------------------------------------------------------------------------
  // The money rules (core/domain/money/rules.ts)
  'refund.paymentVoided': 'Ce paiement a été annulé avant d’être encaissé : il n’y a rien à rembourser.',
  'refund.amountNotCents': 'Le montant doit être en dollars et en cents, sans fraction de cent.',
  'refund.amountNotPositive': 'Le montant du remboursement doit être plus grand que 0 $.',
  // Without the amount: a processor's refusal gives this code without values.
  'refund.exceedsRemaining': 'Le montant dépasse ce qui reste à rembourser sur ce paiement : entrez un montant plus petit.',
  'waiver.amountNotCents': 'Le montant doit être en dollars et en cents, sans fraction de cent.',
  'waiver.amountNotPositive': 'Le montant de l’exemption doit être plus grand que 0 $.',
  'waiver.exceedsPrice':
    'L’exemption dépasse ce qui reste à payer pour cet élève : {maxCents, number, ::currency/CAD scale/0.01} au maximum.',
  'waiver.exceedsBudget':
    'L’exemption dépasse ce qui reste du budget d’aide de l’école : {remainingBudgetCents, number, ::currency/CAD scale/0.01}.',

  // ---------------------------------------------------------------------------------------------
  // The card processors (core/adapters/processors): declines, refusals, the demo notice
  'charge.declined': 'La carte a été refusée. Essayez une autre carte.',
  'charge.insufficientFunds': 'La carte a été refusée : fonds insuffisants. Essayez une autre carte.',
  'charge.expiredCard': 'La carte est expirée. Essayez une autre carte.',
  'charge.incorrectCvc': 'Le code de sécurité de la carte est incorrect. Vérifiez-le et réessayez.',
  'charge.processingError': 'Une erreur est survenue pendant le traitement de la carte. Réessayez dans un moment.',
  // Said like a plain refusal: the person at the counter need not hear why.
  'charge.lostOrStolen': 'La carte a été refusée par la banque. Essayez une autre carte.',
  'charge.authenticationRequired': 'La banque demande une vérification que ce paiement ne permet pas. Essayez une autre carte.',
  'charge.canceled': 'Le paiement a été annulé sur le lecteur de cartes. Aucun montant n’a été prélevé.',
  'charge.timedOut': 'Aucune carte n’a été présentée à temps. Recommencez le paiement.',
  'charge.amountNotPositive': 'Le montant à payer doit être plus grand que 0 $.',
  'charge.amountTooSmall': 'Le montant est trop petit pour un paiement par carte : {minimumCents, number, ::currency/CAD scale/0.01} au minimum.',
  'processor.notFound': 'Le processeur de paiement ne trouve pas ce paiement ou ce remboursement. Communiquez avec le soutien technique.',
  'processor.idempotencyMismatch': 'La demande n’a pas été traitée à cause d’une erreur interne. Communiquez avec le soutien technique.',
  'processor.notAuthorized': 'Stripe a refusé la clé de ce poste : vérifiez la clé Stripe dans Paramètres.',
  'processor.testCardInLiveMode': 'Une carte de test ne peut pas servir avec une clé Stripe réelle.',
  'processor.unknownTestCard': 'Cette carte n’est pas une carte de démonstration : utilisez une des cartes de démo.',
  'processor.invalidRequest':
    'Le processeur de paiement a refusé la demande. Réessayez; si le problème persiste, communiquez avec le soutien technique.',
  'processor.demoNotice': 'Démo — aucun paiement réel',
  'terminal.readerOffline': 'Le lecteur de cartes n’est pas connecté : vérifiez qu’il est allumé et branché, puis réessayez.',
  'terminal.readerBusy': 'Le lecteur de cartes traite déjà un autre paiement : attendez qu’il soit libre, puis réessayez.',
} as const
