import type { MessageBoxOptions, MessageBoxReturnValue } from 'electron';
import type { Logger } from '../log';

export interface AboutFacts {
  productName: string;
  /** The app's version (package.json "version", app.getVersion()). */
  version: string;
  /** process.versions of the main process: electron, chrome, node, v8. */
  versions: Readonly<Partial<Record<string, string>>>;
  platform: NodeJS.Platform;
  arch: string;
}

/**
 * What Help → About shows: everything a support person asks for first, in plain lines that can be
 * pasted into a ticket. No user, portal or path: the text is meant to be shared.
 */
export function aboutText(facts: AboutFacts): { title: string; message: string; detail: string } {
  const version = (name: string): string => facts.versions[name] ?? 'unknown';
  return {
    title: `About ${facts.productName}`,
    message: `${facts.productName} ${facts.version}`,
    detail: [
      `Version: ${facts.version}`,
      `Electron: ${version('electron')}`,
      `Chromium: ${version('chrome')}`,
      `Node.js: ${version('node')}`,
      `V8: ${version('v8')}`,
      `OS: ${facts.platform} ${facts.arch}`,
    ].join('\n'),
  };
}

export const ABOUT_BUTTONS = ['OK', 'Copy'] as const;

export interface AboutDialogDependencies {
  facts: AboutFacts;
  /** dialog.showMessageBox, bound to the window when there is one. */
  showMessageBox: (options: MessageBoxOptions) => Promise<MessageBoxReturnValue>;
  /** clipboard.writeText */
  copyText: (text: string) => void;
  log: Pick<Logger, 'warn'>;
}

/** Shows the About box; "Copy" puts the version lines on the clipboard for a support ticket. */
export async function showAboutDialog(dependencies: AboutDialogDependencies): Promise<void> {
  const text = aboutText(dependencies.facts);
  const answer = await dependencies.showMessageBox({
    type: 'info',
    title: text.title,
    message: text.message,
    detail: text.detail,
    buttons: [...ABOUT_BUTTONS],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  });
  if (ABOUT_BUTTONS[answer.response] === 'Copy') {
    try {
      dependencies.copyText(`${text.message}\n${text.detail}`);
    } catch (error) {
      dependencies.log.warn('menu: the About text could not be copied', { error });
    }
  }
}
