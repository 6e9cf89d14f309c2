// Everything the app sends to Slack over HTTP (every Web API call and every response_url post: Bolt
// uses the client's fetch for both) passes through here, so an error text that echoes a secret is
// redacted before a user can see it, by the same redaction as the logs. Only bodies are touched:
// the Authorization header is how the bot token is meant to travel.
import type { FetchFunction } from '@slack/web-api';
import type { SecretRedactor } from '../secretRedactor';

type RequestBody = NonNullable<Parameters<FetchFunction>[1]>['body'];

function redactBody(body: RequestBody, redactor: SecretRedactor): RequestBody {
  if (typeof body === 'string') return redactor.redact(body);
  if (body instanceof FormData) {
    // Multipart bodies (file uploads): text fields are redacted, file contents are sent as they are.
    const out = new FormData();
    body.forEach((value, key) => {
      if (typeof value === 'string') out.append(key, redactor.redact(value));
      else out.append(key, value, value.name);
    });
    return out;
  }
  return body;
}

/** A fetch for Slack's clients that redacts every registered secret from what it sends. */
export function redactingFetch(redactor: SecretRedactor, fetchFn: FetchFunction = globalThis.fetch as unknown as FetchFunction): FetchFunction {
  return (url, init) => fetchFn(url, init?.body === undefined ? init : { ...init, body: redactBody(init.body, redactor) });
}
