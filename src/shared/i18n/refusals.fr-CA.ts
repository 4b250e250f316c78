/** Browser mode's bridge: what it answers when it refuses a request before the core sees it. */
export const bridgeFrCA = {
  'error.REQUEST_REFUSED':
    '{reason, select, badRequest {La demande n’a pas pu être lue : rechargez la page et réessayez.} key {Cette page n’a pas la clé de Guichet : ouvrez l’adresse affichée au démarrage de Guichet.} method {Cette adresse ne s’utilise pas ainsi : rechargez la page.} mediaType {La demande n’est pas au bon format : rechargez la page et réessayez.} host {Guichet ne répond qu’à l’adresse 127.0.0.1 : ouvrez l’adresse affichée au démarrage.} tooLarge {La demande est trop volumineuse : choisissez un fichier plus petit.} notFound {Cette page n’existe pas : ouvrez l’adresse affichée au démarrage de Guichet.} other {La demande a été refusée : rechargez la page et réessayez.}}',
}
