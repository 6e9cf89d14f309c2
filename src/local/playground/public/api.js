// @ts-check
// The page server's small JSON API: what the page reads and what the person's gestures send.

/**
 * GET `path` (no body) or POST `body` as JSON; the answer's JSON, or an Error with the server's message.
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>}
 */
export async function api(path, body) {
  const response = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.error || `HTTP ${response.status}`);
  return json;
}

/**
 * Hosts a file the person chose, as Slack hosts a shared file; Slack's file object for it.
 * @param {string} user
 * @param {File} file
 * @returns {Promise<import('./slackShapes.js').SharedFile>}
 */
export async function uploadFile(user, file) {
  const response = await fetch(`/api/upload?user=${encodeURIComponent(user)}`, {
    method: 'POST',
    headers: { 'x-filename': encodeURIComponent(file.name), 'content-type': 'application/octet-stream' },
    body: file,
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
  return answer.file;
}
