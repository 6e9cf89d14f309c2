// @ts-check
// Keeping the page current: fetches the snapshot for the person the page is viewed as and redraws.
// The page calls refresh() whenever the server says something changed; the entry module says how
// to draw.

import { api } from './api.js';
import { toast } from './dom.js';
import { ui } from './state.js';

/** @type {() => void} */
let draw = () => {};

/**
 * How to draw the page once a snapshot arrives.
 * @param {() => void} render
 */
export function drawWith(render) {
  draw = render;
}

/** @type {Promise<void> | null} */
let loading = null;
let again = false;

/** Fetches the snapshot for the current person; changes arriving meanwhile trigger one more fetch. */
export async function refresh() {
  if (loading) {
    again = true;
    return loading;
  }
  loading = (async () => {
    do {
      again = false;
      try {
        const user = ui.user;
        const snap = await api(`/api/state?user=${encodeURIComponent(user)}`);
        if (user === ui.user) ui.snapshot = snap;
        draw();
      } catch (err) {
        const message = /** @type {Error} */ (err).message;
        if (/^unknown user/.test(message) && ui.user !== 'U_ALICE') {
          // A person remembered from an earlier run that this workspace does not have.
          ui.user = 'U_ALICE';
          again = true;
        } else {
          toast(`The playground is not answering: ${message}`);
        }
      }
    } while (again);
  })();
  try {
    await loading;
  } finally {
    loading = null;
  }
}
