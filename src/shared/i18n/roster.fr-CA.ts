/** Messages of the roster: the OneRoster import and what it finds. */
export const rosterFrCA = {
  'oneroster.missingFile': 'Le fichier {file} manque dans l’ensemble OneRoster.',
  'oneroster.unreadable':
    'Le fichier {file} ne peut pas être lu comme un CSV : {reason, select, columns {cette ligne n’a pas le même nombre de colonnes que la ligne d’en-tête} quotes {un guillemet n’est pas fermé ou est mal placé} other {son format n’est pas reconnu}}. Corrigez le fichier ou exportez-le de nouveau.',
  'oneroster.missingColumn': 'La colonne « {column} » manque dans {file}.',
  'oneroster.unsupportedVersion': 'Version OneRoster {version} non prise en charge : Guichet lit la version 1.1.',
  'oneroster.duplicateId': 'Identifiant en double dans {file} : {id}. La ligne est ignorée.',
  'oneroster.missingValue': 'Valeur manquante dans {file}, colonne « {column} ». La ligne est ignorée.',
  'oneroster.badDate': 'Date invalide dans {file}, colonne « {column} » : {value}. La ligne est ignorée.',
  'oneroster.badGrade': 'Année d’études inconnue : « {value} ». La ligne est ignorée.',
  'oneroster.badRole': 'Rôle inconnu : « {value} ». La ligne est ignorée.',
  'oneroster.unknownSchool': 'École inconnue : {id}. La ligne est ignorée.',
  'oneroster.notASchool': 'L’organisation {id} n’est pas une école dans orgs.csv (type « {type} ») : la classe doit appartenir à une école. La ligne est ignorée.',
  'oneroster.unknownClass': 'Classe inconnue : {id}. La ligne est ignorée.',
  'oneroster.unknownUser': 'Personne inconnue : {id}. Le lien est ignoré.',
  'oneroster.noSchool': 'L’élève {id} n’appartient à aucune école de l’ensemble. La ligne est ignorée.',
  'oneroster.badZip': 'Ce fichier n’est pas une archive ZIP lisible (ou elle est trop grande).',
} as const
