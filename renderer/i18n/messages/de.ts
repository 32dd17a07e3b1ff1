import { de as vuetifyLocale } from 'vuetify/locale';
import en, { type Messages } from './en';

const de: Messages = en;
export default de;
export const vuetify = vuetifyLocale;
