import { PRERENDERED_ATTRIBUTE, QUEUED_SUBMIT_ATTRIBUTE } from './markers';

/**
 * The page's only script (a small module, so it never blocks the parser or the first frame): index.html
 * is served with the sign-in page prerendered in it, in the page's language (scripts/prerender-sign-in.ts,
 * common/first-paint.ts). Once that frame is painted, this starts the app — its entry (`data-app`) and the
 * chunks that entry imports (`data-preload`, fetched at the same time) — so the browser paints the page
 * before it fetches, compiles and runs the app's scripts. Meanwhile a sign-in sent from the prerendered
 * form is held back for the app (renderer/lib/prerendered-sign-in.ts sends it).
 */

document.addEventListener(
  'submit',
  (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.closest(`[${PRERENDERED_ATTRIBUTE}]`) === null) return;
    event.preventDefault();
    form.setAttribute(QUEUED_SUBMIT_ATTRIBUTE, '');
  },
  true,
);

function startApp(): void {
  const script = document.querySelector<HTMLScriptElement>('script[data-app]');
  if (script === null) return;
  for (const href of (script.dataset.preload ?? '').split(' ').filter((file) => file !== '')) {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.crossOrigin = '';
    link.href = href;
    document.head.append(link);
  }
  void import(/* @vite-ignore */ new URL(script.dataset.app!, document.baseURI).href);
}

// A frame's callbacks run before its paint; a task queued from one runs after it. A hidden page (a
// window not shown yet, a background tab) paints no frame: it starts the app at once.
if (document.visibilityState === 'visible') requestAnimationFrame(() => setTimeout(startApp, 0));
else startApp();
