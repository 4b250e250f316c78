/**
 * Names of a French-language Catholic school community in Ottawa's east end. faker's French
 * locales carry France's names (and fr_CA none of its own), so the families are drawn, with
 * faker's seeded generator, from these lists of Franco-Ontarian, Québécois, Acadian, anglophone
 * and newcomer names instead.
 */

export const GIRLS_FR = [
  'Léa', 'Emma', 'Chloé', 'Florence', 'Zoé', 'Alice', 'Charlotte', 'Rosalie', 'Juliette', 'Béatrice',
  'Olivia', 'Jade', 'Laurence', 'Maëlle', 'Clara', 'Camille', 'Éloïse', 'Anaïs', 'Mila', 'Romy',
  'Marguerite', 'Élodie', 'Sofia', 'Maya', 'Livia', 'Noémie', 'Gabrielle', 'Rose', 'Victoria', 'Mia',
  'Lily', 'Amélia', 'Ève', 'Justine', 'Adèle', 'Mégane', 'Delphine', 'Annabelle', 'Océane', 'Sarah',
  'Léonie', 'Mathilde', 'Aurélie', 'Élisabeth', 'Flavie', 'Marilou', 'Ariane', 'Laurie', 'Émy', 'Clémence',
] as const

export const BOYS_FR = [
  'William', 'Liam', 'Noah', 'Thomas', 'Léo', 'Jacob', 'Édouard', 'Nathan', 'Félix', 'Louis',
  'Olivier', 'Raphaël', 'Samuel', 'Émile', 'Arthur', 'Zack', 'Antoine', 'Gabriel', 'Hugo', 'Charles',
  'Jules', 'Alexis', 'Logan', 'Mathis', 'Benjamin', 'Loïc', 'Xavier', 'Elliot', 'Théo', 'Nolan',
  'Henri', 'Adam', 'Victor', 'Laurent', 'Maxime', 'Étienne', 'Zachary', 'Justin', 'Mathéo', 'Simon',
  'Anthony', 'Isaac', 'Tristan', 'Éli', 'Vincent', 'Philippe', 'Malik', 'Clovis', 'Jérémie', 'Dylan',
] as const

export const GIRLS_EN = ['Emily', 'Ava', 'Hannah', 'Abigail', 'Grace', 'Avery', 'Chloe', 'Madison', 'Ella', 'Sophie', 'Nora', 'Isla'] as const
export const BOYS_EN = ['Ethan', 'Owen', 'Lucas', 'Jack', 'Ryan', 'Connor', 'Caleb', 'Mason', 'Wyatt', 'Declan', 'Finn', 'Carter'] as const

export const WOMEN_FR = [
  'Marie-Ève', 'Isabelle', 'Julie', 'Mélanie', 'Geneviève', 'Stéphanie', 'Valérie', 'Karine', 'Caroline', 'Annie',
  'Nathalie', 'Catherine', 'Émilie', 'Véronique', 'Josée', 'Marie-Claude', 'Chantal', 'Sylvie', 'Audrey', 'Vanessa',
  'Amélie', 'Mélissa', 'Sophie', 'Marie-Pier', 'Andréanne', 'Joanie', 'Kathleen', 'Maude', 'Anne-Marie', 'Danielle',
  'Lyne', 'Manon', 'Natacha', 'Marie-Josée', 'Jessica', 'Roxanne', 'Patricia', 'Brigitte', 'Claudia', 'Myriam',
] as const

export const MEN_FR = [
  'Martin', 'Éric', 'Patrick', 'Sébastien', 'Stéphane', 'Mathieu', 'Jean-François', 'Marc-André', 'François', 'Daniel',
  'Pierre-Luc', 'Maxime', 'Simon', 'Alexandre', 'Jonathan', 'Philippe', 'Dominic', 'Yannick', 'Frédéric', 'Luc',
  'Guillaume', 'Nicolas', 'Michel', 'Steve', 'Jean-Philippe', 'David', 'Denis', 'Sylvain', 'Carl', 'Benoît',
  'Christian', 'Jean-Sébastien', 'Kevin', 'Hugo', 'Marc', 'Louis-Philippe', 'Francis', 'Pascal', 'Julien', 'Richard',
] as const

export const WOMEN_EN = ['Jennifer', 'Sarah', 'Amanda', 'Jessica', 'Emily', 'Megan', 'Laura', 'Rachel', 'Kristen', 'Heather', 'Erin', 'Lindsay'] as const
export const MEN_EN = ['Michael', 'David', 'Ryan', 'Kevin', 'Chris', 'Andrew', 'Matthew', 'Jason', 'Brian', 'Sean', 'Adam', 'Greg'] as const

export const LAST_FR = [
  'Tremblay', 'Gagnon', 'Roy', 'Côté', 'Bouchard', 'Gauthier', 'Morin', 'Lavoie', 'Fortin', 'Gagné',
  'Ouellet', 'Pelletier', 'Bélanger', 'Lévesque', 'Bergeron', 'Leblanc', 'Paquette', 'Girard', 'Simard', 'Boucher',
  'Caron', 'Beaulieu', 'Cloutier', 'Dubé', 'Poirier', 'Fournier', 'Lapointe', 'Leclerc', 'Lefebvre', 'Poulin',
  'Thibault', 'St-Pierre', 'Nadeau', 'Martin', 'Landry', 'Martel', 'Bédard', 'Grenier', 'Lessard', 'Bernier',
  'Richard', 'Michaud', 'Hébert', 'Desjardins', 'Couture', 'Turcotte', 'Lachance', 'Parent', 'Blais', 'Gosselin',
  'Savard', 'Proulx', 'Beaudoin', 'Demers', 'Perron', 'Boudreau', 'Lemieux', 'Cyr', 'Dion', 'Charbonneau',
  'Brisebois', 'Lalonde', 'Séguin', 'Sabourin', 'Laframboise', 'Charron', 'Dagenais', 'Bisson', 'Léger', 'Chartrand',
  'Clément', 'Larocque', 'Legault', 'Lacroix', 'Potvin', 'Champagne', 'Levac', 'Lamarche', 'Villeneuve', 'Desrochers',
  'Robillard', 'Lafleur', 'Ménard', 'Carrière', 'Quesnel', 'Bourdon', 'Gratton', 'Pilon', 'Brunet', 'Lavigne',
  'Rochon', 'Lepage', 'Bourgeois', 'Cousineau', 'Thériault', 'Arsenault', 'Doucet', 'Gervais', 'Joanisse', 'Laurin',
  'Maisonneuve', 'Patenaude', 'Racine', 'Saint-Denis', 'Vaillancourt', 'Trottier', 'Giroux', "D'Aoust", 'Bélisle', 'Lortie',
] as const

export const LAST_EN = ['Smith', 'MacDonald', "O'Brien", 'Murphy', 'Campbell', 'Kelly', 'Stewart', 'Thompson', 'Fraser', 'Graham', 'Walsh', 'McLean', 'Doyle', 'Byrne'] as const

/** Ottawa's francophone newcomers: Haiti, West and Central Africa, Lebanon, the Maghreb. */
export const NEWCOMER_FAMILIES = [
  {
    last: ['Diallo', 'Traoré', 'Ndiaye', 'Kamara', 'Sow', 'Koné', 'Diop', 'Ouédraogo'],
    women: ['Aïssatou', 'Fatoumata', 'Mariam', 'Awa', 'Kadiatou', 'Aminata'],
    men: ['Mamadou', 'Ibrahima', 'Moussa', 'Abdoulaye', 'Ousmane', 'Seydou'],
    girls: ['Aïcha', 'Fatou', 'Khadija', 'Mariama', 'Nafi', 'Inès'],
    boys: ['Moussa', 'Amadou', 'Ibrahim', 'Idrissa', 'Youssouf', 'Adam'],
  },
  {
    last: ['Kabongo', 'Mukendi', 'Habimana', 'Nkurunziza', 'Ilunga', 'Mbuyi', 'Uwimana'],
    women: ['Grâce', 'Clarisse', 'Divine', 'Esther', 'Chantal', 'Josiane'],
    men: ['Jean-Claude', 'Patrick', 'Emmanuel', 'Innocent', 'Fabrice', 'Christian'],
    girls: ['Merveille', 'Grâce', 'Bénie', 'Précieuse', 'Naomie', 'Shekinah'],
    boys: ['Emmanuel', 'Joël', 'Christ', 'Daniel', 'Josué', 'Nathan'],
  },
  {
    last: ['Jean-Louis', 'Saint-Fleur', 'Joseph', 'Pierre-Louis', 'Théodore', 'Célestin', 'Dorvil'],
    women: ['Nadège', 'Marjorie', 'Guerline', 'Roseline', 'Darline', 'Fabiola'],
    men: ['Jean-Robert', 'Wilner', 'Frantz', 'Jacques', 'Ronald', 'Patrick'],
    girls: ['Naïka', 'Esther', 'Kathia', 'Roseline', 'Melissa', 'Sarah'],
    boys: ['Jean-Daniel', 'Samuel', 'Kervens', 'Widner', 'Steeve', 'Jayden'],
  },
  {
    last: ['Haddad', 'Khoury', 'Nassar', 'Bou Saleh', 'Abi Nader', 'Chamoun', 'Karam'],
    women: ['Rania', 'Nadine', 'Rita', 'Maya', 'Lara', 'Carla'],
    men: ['Georges', 'Elie', 'Tony', 'Charbel', 'Fadi', 'Joseph'],
    girls: ['Yara', 'Lea', 'Tia', 'Maya', 'Perla', 'Celine'],
    boys: ['Karim', 'Elio', 'Jad', 'Charbel', 'Marc', 'Ryan'],
  },
  {
    last: ['Benali', 'El Amrani', 'Bouzid', 'Haddadi', 'Mansouri', 'Cherif', 'Belkacem'],
    women: ['Nadia', 'Samira', 'Leïla', 'Imane', 'Meriem', 'Houda'],
    men: ['Karim', 'Samir', 'Youssef', 'Mehdi', 'Nabil', 'Rachid'],
    girls: ['Yasmine', 'Inès', 'Lina', 'Amira', 'Kenza', 'Sara'],
    boys: ['Adam', 'Rayan', 'Ilyes', 'Anas', 'Yanis', 'Amir'],
  },
] as const

/** Teachers' surnames: kept apart from the families' lists so "Mme Tremblay" is nobody's mother. */
export const TEACHERS = [
  ['Mme', 'Desautels'], ['Mme', 'Boileau'], ['M.', 'Lalande'], ['Mme', 'Charlebois'], ['Mme', 'Beauchamp'],
  ['Mme', 'Prud’homme'], ['M.', 'Aubin'], ['Mme', 'Bastien'], ['Mme', 'Courville'], ['Mme', 'Dufresne'],
  ['M.', 'Forget'], ['Mme', 'Guindon'], ['Mme', 'Houle'], ['Mme', 'Jolicoeur'], ['M.', 'Labelle'],
  ['Mme', 'Marleau'], ['Mme', 'Normandin'], ['Mme', 'Ouimet'], ['M.', 'Paradis'], ['Mme', 'Rainville'],
  ['Mme', 'Sauvé'], ['Mme', 'Tessier'], ['M.', 'Vézina'], ['Mme', 'Allard'], ['Mme', 'Boisvert'],
  ['Mme', 'Cardinal'], ['M.', 'Deschamps'], ['Mme', 'Émond'], ['Mme', 'Frappier'], ['Mme', 'Gingras'],
  ['M.', 'Hamelin'], ['Mme', 'Isabelle'], ['Mme', 'Jutras'], ['Mme', 'Lauzon'], ['M.', 'Mongeon'],
  ['Mme', 'Nault'], ['Mme', 'Pagé'], ['Mme', 'Renaud'], ['M.', 'Sicard'], ['Mme', 'Tardif'],
  ['Mme', 'Vachon'], ['Mme', 'Alarie'], ['M.', 'Bilodeau'], ['Mme', 'Chénier'], ['Mme', 'Drouin'],
  ['Mme', 'Fleury'], ['M.', 'Guérin'], ['Mme', 'Hardy'], ['Mme', 'Lemay'], ['Mme', 'Morissette'],
  ['M.', 'Ratté'], ['Mme', 'Sénécal'], ['Mme', 'Théberge'], ['Mme', 'Veilleux'], ['M.', 'Bouffard'],
  ['Mme', 'Cadieux'], ['Mme', 'Dupuis'], ['Mme', 'Gadbois'], ['M.', 'Lanthier'], ['Mme', 'Mercier'],
] as const

export const MEDICAL_ALERTS = [
  ['Allergie sévère aux arachides — EpiPen dans le sac', 6],
  ['Allergie aux arachides et aux noix — EpiPen au secrétariat', 4],
  ['Asthme — pompe dans le sac à dos', 6],
  ['Diabète de type 1 — glucomètre et collation au besoin', 2],
  ['Épilepsie — protocole d’urgence au dossier', 1],
  ['Allergie aux piqûres d’abeilles — EpiPen', 2],
  ['Intolérance au lactose — aucun produit laitier', 2],
  ['Maladie cœliaque — repas sans gluten seulement', 1],
  ['Allergie aux œufs', 2],
] as const

export const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const

/** Grandparents who are a child's guardian. */
export const GRANDMOTHERS = ['Lise', 'Francine', 'Diane', 'Ginette', 'Louise', 'Carole', 'Pierrette', 'Suzanne', 'Jocelyne', 'Huguette'] as const
export const GRANDMOTHERS_EN = ['Linda', 'Susan', 'Barbara', 'Margaret', 'Brenda', 'Carol'] as const
