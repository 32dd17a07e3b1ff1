import { PRERENDERED_ATTRIBUTE, QUEUED_CLICK_ATTRIBUTE, QUEUED_SUBMIT_ATTRIBUTE } from './markers';

/**
 * The page's only script (a small module, so it never blocks the parser or the first frame): index.html
 * is served with the sign-in page prerendered in it, in the page's language (scripts/prerender-sign-in.ts,
 * common/first-paint.ts). Once that frame is painted, this starts the app — its entry (`data-app`) and the
 * chunks that entry imports (`data-preload`, fetched at the same time) — so the browser paints the page
 * before it fetches, compiles and runs the app's scripts. Meanwhile a sign-in sent from the prerendered
 * form, and the last click on one of its other buttons (language, portal settings, show password), are
 * held back for the app (renderer/lib/prerendered-sign-in.ts sends the one and repeats the other).
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

document.addEventListener(
  'click',
  (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[type="button"]') : null;
    if (button === null || button.closest(`[${PRERENDERED_ATTRIBUTE}]`) === null) return;
    for (const held of document.querySelectorAll(`[${QUEUED_CLICK_ATTRIBUTE}]`)) held.removeAttribute(QUEUED_CLICK_ATTRIBUTE);
    button.setAttribute(QUEUED_CLICK_ATTRIBUTE, '');
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
