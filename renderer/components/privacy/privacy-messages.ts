import { t } from '../../i18n';

/**
 * Privacy mode's words in the language shown (the message files' `privacy` section). Texts with a
 * placeholder are read with `t` directly: `t('privacy.showNumberOf', { name })`.
 */
export const privacyMessages = {
  get toggleLabel(): string {
    return t('privacy.toggleLabel');
  },
  get toggleOnTooltip(): string {
    return t('privacy.toggleOnTooltip');
  },
  get toggleOffTooltip(): string {
    return t('privacy.toggleOffTooltip');
  },
  get showNumber(): string {
    return t('privacy.showNumber');
  },
  get hideNumber(): string {
    return t('privacy.hideNumber');
  },
  get revealTooltip(): string {
    return t('privacy.revealTooltip');
  },
  get fieldHint(): string {
    return t('privacy.fieldHint');
  },
  get exportTitle(): string {
    return t('privacy.exportTitle');
  },
  get exportText(): string {
    return t('privacy.exportText');
  },
  get exportConfirm(): string {
    return t('privacy.exportConfirm');
  },
  get exportCancel(): string {
    return t('privacy.exportCancel');
  },
};
