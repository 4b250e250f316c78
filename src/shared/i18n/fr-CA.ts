/**
 * The French catalogue is the reference: every key exists here first, and the English one is
 * checked by the compiler to have exactly the same keys. Messages use ICU syntax
 * (plurals, selects, numbers); money and dates are formatted with Intl, never by hand.
 */
export const frCA = {
  'app.name': 'Guichet',

  'error.UNKNOWN_METHOD': 'Opération inconnue : {method}.',
  'error.INVALID_INPUT': 'Certaines informations sont invalides. Rien n’a été modifié.',
  'error.NOT_SIGNED_IN': 'Votre session est terminée. Veuillez vous connecter.',
  'error.SESSION_LOCKED': 'Votre session est verrouillée. Entrez votre mot de passe pour continuer.',
  'error.FORBIDDEN': 'Votre rôle ne permet pas cette opération.',
  'error.BAD_CREDENTIALS': 'Nom d’utilisateur ou mot de passe incorrect.',
  'error.ACCOUNT_DISABLED': 'Ce compte est désactivé. Adressez-vous à l’administration.',
  'error.NOT_FOUND': 'Introuvable : {what}.',
  'error.CONFLICT': 'Cette information a été modifiée entre-temps. Rechargez et réessayez.',
  'error.DB_TOO_NEW':
    'Cette base de données a été créée par une version plus récente de Guichet (schéma {found}, cette version connaît le schéma {known}). Mettez Guichet à jour; rien n’a été modifié.',
  'error.INTERNAL': 'Une erreur inattendue est survenue. Rien n’a été modifié.',

  'issue.required': 'Ce champ est obligatoire.',
  'issue.tooShort': 'Trop court (minimum {min, plural, one {# caractère} other {# caractères}}).',
  'issue.tooLong': 'Trop long (maximum {max, plural, one {# caractère} other {# caractères}}).',
  'issue.tooSmall': 'La valeur doit être au moins {min}.',
  'issue.tooBig': 'La valeur doit être au plus {max}.',
  'issue.invalidType': 'Valeur invalide.',
  'issue.invalidValue': 'Choix invalide.',
  'issue.invalidFormat': 'Format invalide.',
  'issue.unknownKeys': 'Champ inattendu : {keys}.',
  'issue.invalid': 'Valeur invalide.',

  // ——— Renderer (src/renderer): every string the UI shows ———
  'language.fr': 'Français',
  'language.en': 'English',

  'shell.documentTitle': '{screen} — Guichet',
  'shell.skipToContent': 'Aller au contenu principal',
  'shell.navLabel': 'Navigation principale',
  'shell.signOut': 'Se déconnecter',
  'shell.language': 'Langue de l’interface',
  'shell.demoBadge': 'Données de démonstration',
  'role.label': '{role, select, secretary {Secrétaire} principal {Direction} admin {Administration} other {{role}}}',

  'nav.dashboard': 'Tableau de bord',
  'nav.catalogue': 'Catalogue',
  'nav.outings': 'Sorties',
  'nav.orders': 'Commandes',
  'nav.students': 'Élèves et familles',
  'nav.reports': 'Rapports',
  'nav.kiosk': 'Kiosque',
  'nav.sync': 'Synchronisation',
  'nav.settings': 'Paramètres',

  'common.loading': 'Chargement…',
  'common.retry': 'Réessayer',
  'common.close': 'Fermer',

  'transport.noKey':
    'Guichet n’a pas reçu sa clé d’accès. Ouvrez l’adresse complète affichée au démarrage de Guichet (elle se termine par #key=…).',
  'transport.unreachable': 'Guichet ne répond pas. Vérifiez qu’il est toujours ouvert, puis réessayez.',

  'signIn.tagline': 'Le secrétariat du magasin en ligne de l’école',
  'signIn.title': 'Connexion',
  'signIn.username': 'Nom d’utilisateur',
  'signIn.password': 'Mot de passe',
  'signIn.submit': 'Se connecter',
  'signIn.submitting': 'Connexion en cours…',
  'signIn.usernameRequired': 'Entrez votre nom d’utilisateur.',
  'signIn.passwordRequired': 'Entrez votre mot de passe.',

  'lock.title': 'Session verrouillée',
  'lock.explanation':
    'La session de {name} a été verrouillée après une période d’inactivité. Entrez votre mot de passe pour reprendre là où vous étiez.',
  'lock.unlock': 'Déverrouiller',
  'lock.wrongPassword': 'Mot de passe incorrect.',

  'later.status': 'Prévu dans une prochaine version',
  'later.dashboard':
    'Le tableau de bord résumera la journée du secrétariat : les échéances qui approchent, les réponses et les paiements en attente, les remboursements à traiter et les alertes. Il arrive dans une prochaine version.',
  'later.catalogue':
    'La création et la publication des articles (produits, programmes, cotisations, sorties, formulaires de consentement) arrivent dans une prochaine version.',
  'later.outings':
    'Le suivi des sorties (places, autobus, accompagnateurs, liste d’attente et approbation par la direction) arrive dans une prochaine version.',
  'later.orders':
    'La consultation des commandes et des paiements, les reçus et les remboursements arrivent dans une prochaine version.',
  'later.reports':
    'Les rapports et les impressions (bons de commande des fournisseurs, listes de livraison par classe, listes de sortie, listes d’appels, sommaires financiers) arrivent dans une prochaine version.',
  'later.kiosk':
    'Le mode kiosque, où un parent sans appareil donne son consentement et paie au secrétariat, arrive dans une prochaine version.',
  'later.sync':
    'La synchronisation avec le conseil scolaire (effectifs, commandes et consentements reçus en ligne) et son suivi arrivent dans une prochaine version.',

  'settings.languageTitle': 'Langue',
  'settings.languageLegend': 'Langue de l’interface',
  'settings.languageHint': 'Votre choix est conservé pour vos prochaines connexions, comme le sélecteur de langue de l’en-tête.',
  'settings.accountTitle': 'Votre compte',
  'settings.name': 'Nom',
  'settings.username': 'Nom d’utilisateur',
  'settings.role': 'Rôle',
  'settings.lock': 'Verrouillage',
  'settings.lockAfter': 'Après {minutes, plural, one {# minute} other {# minutes}} d’inactivité',
  'settings.aboutTitle': 'À propos de Guichet',
  'settings.appVersion': 'Version de Guichet',
  'settings.schemaVersion': 'Version du schéma de la base de données',
  'settings.data': 'Données',
  'settings.boardData': 'Données du conseil scolaire',
  'settings.demoExplanation':
    'Les élèves, les familles et les commandes de cette base sont inventés. Aucun courriel n’est envoyé et aucun paiement n’est réel.',

  'grade.label': '{grade, select, JK {Maternelle} SK {Jardin} 1 {1re année} other {{grade}e année}}',

  'students.searchLabel': 'Recherche d’élèves',
  'students.query': 'Rechercher un élève',
  'students.queryHint': 'Début du nom ou du prénom, avec ou sans accents',
  'students.school': 'École',
  'students.allSchools': 'Toutes les écoles',
  'students.grade': 'Année',
  'students.allGrades': 'Toutes les années',
  'students.class': 'Classe',
  'students.allClasses': 'Toutes les classes',
  'students.classOption': '{name} ({teacher})',
  'students.status': 'Statut',
  'students.statusActive': 'Élèves actifs',
  'students.statusWithdrawn': 'Élèves retirés',
  'students.statusAll': 'Tous les élèves',
  'students.clearFilters': 'Effacer la recherche et les filtres',
  'students.col.lastName': 'Nom',
  'students.col.firstName': 'Prénom',
  'students.col.grade': 'Année',
  'students.col.class': 'Classe',
  'students.col.school': 'École',
  'students.col.alert': 'Alerte',
  'students.withdrawnTag': 'Inscription retirée',
  'students.noClass': 'Sans classe',
  'students.medicalAlert': 'Alerte médicale',
  'students.count': '{from, number}–{to, number} de {total, number} {total, plural, one {élève} other {élèves}}',
  'students.none': 'Aucun élève ne correspond à la recherche.',
  'students.noneHelp': 'Vérifiez l’orthographe, ou effacez un filtre (école, année, classe, statut).',
  'students.pagerLabel': 'Pages de résultats',
  'students.previousPage': 'Page précédente',
  'students.nextPage': 'Page suivante',
  'students.pagePosition': 'Page {page, number} sur {pages, number}',
  'students.gridHint':
    'Cliquez sur un élève, ou utilisez les flèches puis Entrée, pour ouvrir la fiche de sa famille. Cliquez sur un en-tête de colonne pour trier.',

  'family.title': 'Famille {elide, select, yes {d’{name}} other {de {name}}}',
  'family.guardians': 'Parents et tuteurs ({count, number})',
  'family.noGuardian': 'Aucun parent ni tuteur n’est inscrit pour cet élève.',
  'family.children': '{count, plural, one {Enfant (#)} other {Enfants (#)}}',
  'family.relationship': 'Lien',
  'family.relationshipOf':
    '{relationship, select, mother {Mère} father {Père} guardian {Tuteur ou tutrice} other {Autre lien}} {elide, select, yes {d’{child}} other {de {child}}}',
  'family.email': 'Courriel',
  'family.noEmail': 'Aucun courriel',
  'family.emailBounced': 'Courriels non distribués',
  'family.phone': 'Téléphone',
  'family.noPhone': 'Aucun téléphone',
  'family.phoneAlt': 'Autre téléphone',
  'family.language': 'Langue de correspondance',
  'family.languageFr': 'Français',
  'family.languageEn': 'Anglais',
  'family.selectedChild': 'Élève choisi',
  'family.class': 'Classe {name}',
  'family.medicalAlert': 'Alerte médicale :',
  'family.noItems': 'Aucun article ne concerne cet enfant pour le moment.',
  'family.itemsCaption': 'Articles {elide, select, yes {d’{name}} other {de {name}}}',
  'family.col.item': 'Article',
  'family.col.kind': 'Type',
  'family.col.deadline': 'Échéance',
  'family.col.ordered': 'Commandé',
  'family.col.paid': 'Payé',
  'family.col.refunded': 'Remboursé',
  'family.col.waived': 'Exempté',
  'family.col.consent': 'Autorisation',

  'item.kind':
    '{kind, select, product {Produit} program {Programme} fee {Cotisation} outing {Sortie} consent_form {Formulaire de consentement} other {{kind}}}',
  'item.status': '{status, select, draft {Brouillon} published {Publié} closed {Fermé} archived {Archivé} cancelled {Annulé} other {{status}}}',
  'item.consent': '{consent, select, granted {Accordée} declined {Refusée} withdrawn {Retirée} other {Sans réponse}}',
  'item.noConsentNeeded': 'Sans objet : aucun consentement demandé',
} as const

export type MessageKey = keyof typeof frCA
