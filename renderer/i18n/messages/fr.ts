import { fr as vuetifyLocale } from 'vuetify/locale';
import en, { type Messages } from './en';

const fr: Messages = en;
export default fr;
export const vuetify = vuetifyLocale;
