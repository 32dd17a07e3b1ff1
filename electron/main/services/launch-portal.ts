import { createHash, X509Certificate } from 'node:crypto';
import { IpcFailure, type ChannelOutput, type Settings } from '../../../common/ipc';
import type { Logger } from '../log';
import { readCaFile, type SettingsService } from './settings';

/**
 * A portal given at launch (`--portal-url`, `--portal-ca`, PORTAL_ADMIN_PORTAL_URL/_CA) to a
 * packaged app. Anyone who can edit a shortcut or the environment can set these, so the portal is
 * not used, and not saved, until the admin agrees in the app: the sign-in page shows it first.
 */
export type LaunchPortalOffer = NonNullable<ChannelOutput<'settings:get-launch-portal'>>;

export interface LaunchPortalService {
  /** The proposed portal, or null (none given, already answered, or the same as the settings). */
  get(): LaunchPortalOffer | null;
  /** Yes: saved through the ordinary settings path (which checks the certificate file). No: dropped. */
  answer(accept: boolean): Promise<Settings>;
}

function fingerprintsOf(caFile: string): string[] {
  const pem = readCaFile(caFile);
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => {
    const hex = createHash('sha256').update(new X509Certificate(block).raw).digest('hex').toUpperCase();
    return hex.match(/../g)!.join(':');
  });
}

export function createLaunchPortalService(options: {
  proposed: { url: string; caFile?: string } | null;
  settings: Pick<SettingsService, 'get' | 'setPortal'>;
  log: Pick<Logger, 'info' | 'warn'>;
}): LaunchPortalService {
  let offer: LaunchPortalOffer | null = null;
  if (options.proposed) {
    const url = options.proposed.url.replace(/\/+$/, '');
    const caFile = options.proposed.caFile ?? null;
    const current = options.settings.get();
    if (current.portalUrl !== url || current.caFile !== caFile) {
      let caFingerprints: string[] = [];
      let caProblem: string | null = null;
      if (caFile !== null) {
        try {
          caFingerprints = fingerprintsOf(caFile);
        } catch (error) {
          // A field code ("unreadable", "not_a_certificate"): the window says it in the language shown.
          caProblem = (error instanceof IpcFailure ? error.extra.fields?.[0]?.code : undefined) ?? 'unusable';
        }
      }
      offer = { portalUrl: url, caFile, caFingerprints, caProblem, currentPortalUrl: current.portalUrl };
      options.log.info('settings: a portal given at launch waits for the admin to confirm it');
    }
  }

  return {
    get: () => (offer ? { ...offer, caFingerprints: [...offer.caFingerprints] } : null),
    async answer(accept) {
      const answered = offer;
      offer = null;
      if (!answered || !accept) {
        if (answered) options.log.info('settings: the portal given at launch was declined');
        return options.settings.get();
      }
      options.log.info('settings: the portal given at launch was confirmed');
      // The certificate file named at launch is read now, when the admin confirmed it, and kept as PEM like a chosen one.
      return options.settings.setPortal({ portalUrl: answered.portalUrl, caCertificate: answered.caFile === null ? null : readCaFile(answered.caFile) });
    },
  };
}
