// The check behind "a crafted name pings nobody": every mrkdwn text the app sends is read as
// Slack reads it. In mrkdwn, `<...>` is a control sequence (a mention, a channel link, a
// broadcast, a link, a date) and `&` starts an entity; the app may write only the sequences it
// generates itself, and everything else must arrive as &lt; &gt; &amp;.

export interface MrkdwnPolicy {
  /** Users the app may mention: the people acting in the test. */
  users: string[];
  /** Channels the app may link to (NOTIFY_CHANNEL, watching channels). */
  channels: string[];
}

export interface MrkdwnProblem {
  /** Where the text was: e.g. 'message C_GENERAL/1234.5 blocks[2].text'. */
  where: string;
  problem: string;
  text: string;
}

const DATE_TOKEN = /^<!date\^\d+\^[^|<>]*\|[^<>]*>$/;
const ENTITY = /^&(amp|lt|gt);/;

/** What is wrong with one mrkdwn text under the policy; empty when nothing is. */
export function mrkdwnProblems(text: string, policy: MrkdwnPolicy): string[] {
  const problems: string[] = [];
  const allowed = (token: string): boolean => {
    if (DATE_TOKEN.test(token)) return true;
    const user = /^<@([A-Z0-9_]+)>$/.exec(token);
    if (user) return policy.users.includes(user[1]!);
    const channel = /^<#([A-Z0-9_]+)>$/.exec(token);
    if (channel) return policy.channels.includes(channel[1]!);
    return false;
  };
  let rest = text;
  for (const token of text.match(/<[^<>]*>/g) ?? []) {
    if (allowed(token)) rest = rest.replace(token, '');
    else problems.push(`control sequence ${JSON.stringify(token)}`);
  }
  if (/[<>]/.test(rest.replace(/<[^<>]*>/g, ''))) problems.push('an unescaped < or >');
  for (let at = rest.indexOf('&'); at !== -1; at = rest.indexOf('&', at + 1)) {
    if (!ENTITY.test(rest.slice(at))) {
      problems.push(`an unescaped & at ${JSON.stringify(rest.slice(at, at + 12))}`);
      break;
    }
  }
  return problems;
}

/**
 * Walks a message or view and checks every mrkdwn text object in it (section text and fields,
 * context elements, confirm dialogs, ...), and a message's top-level `text`, which Slack also
 * reads as mrkdwn (it is what notifications show).
 */
export function surfaceProblems(surface: { text?: unknown; blocks?: unknown; view?: unknown }, where: string, policy: MrkdwnPolicy): MrkdwnProblem[] {
  const found: MrkdwnProblem[] = [];
  const check = (text: string, path: string) => {
    for (const problem of mrkdwnProblems(text, policy)) found.push({ where: `${where} ${path}`, problem, text });
  };
  if (typeof surface.text === 'string') check(surface.text, 'text');
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        walk(child, `${path}[${i}]`);
      });
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record['type'] === 'mrkdwn' && typeof record['text'] === 'string') check(record['text'], path);
    for (const [k, v] of Object.entries(record)) walk(v, `${path}.${k}`);
  };
  walk(surface.blocks, 'blocks');
  walk(surface.view, 'view');
  return found;
}

/** Every plain_text in a surface, for checking that user-supplied text is shown as typed. */
export function plainTexts(node: unknown): string[] {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) {
      for (const child of n) walk(child);
    }
    else if (n && typeof n === 'object') {
      const r = n as Record<string, unknown>;
      if (r['type'] === 'plain_text' && typeof r['text'] === 'string') out.push(r['text']);
      if (typeof r['initial_value'] === 'string') out.push(r['initial_value']);
      for (const child of Object.values(r)) walk(child);
    }
  };
  walk(node);
  return out;
}
