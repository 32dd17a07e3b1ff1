import { es as vuetifyLocale } from 'vuetify/locale';
import en, { type Messages } from './en';

const es: Messages = en;
export default es;
export const vuetify = vuetifyLocale;
