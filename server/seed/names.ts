/** Given names and family names for demo employees, by the country their number is in. */
export interface NamePool {
  first: readonly string[];
  last: readonly string[];
}

const english: NamePool = {
  first: ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
    'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Christopher', 'Karen',
    'Daniel', 'Nancy', 'Matthew', 'Lisa', 'Anthony', 'Betty', 'Mark', 'Sandra', 'Steven', 'Ashley', 'Kevin', 'Emily'],
  last: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
    'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
    'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young'],
};

export const NAMES: Readonly<Record<string, NamePool>> = {
  US: english,
  CA: {
    first: ['Liam', 'Olivia', 'Noah', 'Emma', 'Benjamin', 'Charlotte', 'Lucas', 'Amelia', 'Ethan', 'Chloé', 'Félix', 'Léa',
      'Logan', 'Maëlle', 'Owen', 'Zoé', 'Jacob', 'Florence', 'Nathan', 'Alice'],
    last: ['Tremblay', 'Gagnon', 'Roy', 'Côté', 'Bouchard', 'Gauthier', 'Morin', 'Lavoie', 'Fortin', 'Gagné',
      'MacDonald', 'Campbell', 'Stewart', 'Wong', 'Singh', 'Chen', 'Leblanc', 'Pelletier', 'Bélanger', 'Lévesque'],
  },
  GB: {
    first: ['Oliver', 'Amelia', 'George', 'Isla', 'Harry', 'Ava', 'Jack', 'Mia', 'Jacob', 'Ivy', 'Charlie', 'Lily',
      'Thomas', 'Freya', 'Alfie', 'Florence', 'Arthur', 'Grace', 'Henry', 'Poppy', 'Leo', 'Evie', 'Oscar', 'Sophie'],
    last: ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson',
      'Wright', 'Thompson', 'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Thomas', 'Clarke',
      'Jackson', 'Wood', 'Harris', 'Edwards', 'Turner', 'Hughes', 'Khan', 'Ahmed'],
  },
  IE: {
    first: ['Seán', 'Aoife', 'Conor', 'Niamh', 'Cian', 'Saoirse', 'Oisín', 'Caoimhe', 'Darragh', 'Róisín', 'Liam', 'Ciara',
      'Pádraig', 'Siobhán', 'Eoin', 'Orla'],
    last: ['Murphy', 'Kelly', "O'Sullivan", 'Walsh', "O'Brien", 'Byrne', 'Ryan', "O'Connor", "O'Neill", 'Doyle',
      'McCarthy', 'Gallagher', 'Doherty', 'Kennedy', 'Lynch', 'Quinn'],
  },
  DE: {
    first: ['Lukas', 'Anna', 'Leon', 'Lena', 'Finn', 'Marie', 'Jonas', 'Sophie', 'Paul', 'Emilia', 'Felix', 'Hannah',
      'Maximilian', 'Lea', 'Tim', 'Johanna', 'Jan', 'Katharina', 'Jürgen', 'Sabine', 'Uwe', 'Birgit'],
    last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann',
      'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann',
      'Braun', 'Krüger', 'Hofmann', 'Hartmann'],
  },
  FR: {
    first: ['Gabriel', 'Louise', 'Léo', 'Jade', 'Raphaël', 'Ambre', 'Arthur', 'Emma', 'Louis', 'Alice', 'Jules', 'Chloé',
      'Hugo', 'Inès', 'Maël', 'Léna', 'Théo', 'Manon', 'François', 'Hélène', 'Étienne', 'Margaux'],
    last: ['Martin', 'Bernard', 'Thomas', 'Petit', 'Robert', 'Richard', 'Durand', 'Dubois', 'Moreau', 'Laurent',
      'Simon', 'Michel', 'Lefèvre', 'Leroy', 'Roux', 'David', 'Bertrand', 'Morel', 'Fournier', 'Girard',
      'Bonnet', 'Dupont', 'Lambert', 'Fontaine'],
  },
  ES: {
    first: ['Hugo', 'Lucía', 'Martín', 'Sofía', 'Mateo', 'Martina', 'Pablo', 'María', 'Álvaro', 'Paula', 'Alejandro', 'Julia',
      'Daniel', 'Valeria', 'José', 'Carmen', 'Javier', 'Elena'],
    last: ['García', 'Rodríguez', 'González', 'Fernández', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'Martín',
      'Jiménez', 'Ruiz', 'Hernández', 'Díaz', 'Moreno', 'Muñoz', 'Álvarez', 'Romero'],
  },
  NL: {
    first: ['Daan', 'Emma', 'Sem', 'Julia', 'Lucas', 'Mila', 'Levi', 'Tess', 'Finn', 'Sophie', 'Bram', 'Zoë', 'Jesse', 'Anouk',
      'Thijs', 'Fleur'],
    last: ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Janssen', 'Visser', 'Smit', 'Meijer',
      'de Boer', 'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters'],
  },
  IN: {
    first: ['Aarav', 'Aadhya', 'Vivaan', 'Ananya', 'Aditya', 'Diya', 'Arjun', 'Saanvi', 'Sai', 'Pari', 'Reyansh', 'Ira',
      'Krishna', 'Myra', 'Ishaan', 'Anika', 'Rahul', 'Priya', 'Vikram', 'Lakshmi', 'Rohan', 'Kavya'],
    last: ['Sharma', 'Verma', 'Gupta', 'Patel', 'Singh', 'Kumar', 'Reddy', 'Nair', 'Iyer', 'Menon', 'Rao', 'Joshi',
      'Desai', 'Mehta', 'Chopra', 'Malhotra', 'Banerjee', 'Chatterjee', 'Mukherjee', 'Pillai', 'Bhat', 'Kapoor'],
  },
  AU: {
    first: ['Oliver', 'Charlotte', 'Noah', 'Olivia', 'Jack', 'Amelia', 'William', 'Isla', 'Leo', 'Mia', 'Lucas', 'Ava',
      'Thomas', 'Grace', 'Henry', 'Chloe', 'Cooper', 'Matilda', 'Hudson', 'Ruby'],
    last: ['Smith', 'Jones', 'Williams', 'Brown', 'Wilson', 'Taylor', 'Johnson', 'White', 'Martin', 'Anderson',
      'Thompson', 'Nguyen', 'Thomas', 'Walker', 'Harris', 'Lee', 'Ryan', 'Robinson', 'Kelly', 'King'],
  },
  BR: {
    first: ['Miguel', 'Helena', 'Arthur', 'Alice', 'Gael', 'Laura', 'Heitor', 'Maria', 'Théo', 'Valentina', 'Davi', 'Heloísa',
      'Bernardo', 'Cecília', 'João', 'Luísa'],
    last: ['Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima', 'Gomes',
      'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Araújo', 'Melo'],
  },
};

/** `José Müller-O'Brien` → `josemullerobrien`: the ASCII local part of a demo email address. */
export function emailPart(name: string): string {
  return name
    .toLowerCase()
    .replaceAll('ß', 'ss')
    .replaceAll('æ', 'ae')
    .replaceAll('ø', 'o')
    .normalize('NFD')
    .replace(/[^a-z]/g, '');
}
