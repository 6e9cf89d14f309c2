/** How far a signed request's timestamp may be from the server's clock, either way (Slack's rule). */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;
