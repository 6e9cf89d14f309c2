// The playground in a real browser: Debian's Chromium, driven by playwright-core, clicks through
// the page that `npm start` serves without Slack credentials. The bot, its signed requests and the
// Prolific sandbox are all real; only Slack's client is the page.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { readConfig } from '../../../src/config';
import { AppLogger } from '../../../src/logging';
import { type Playground, startPlayground } from '../../../src/local/playground';
import { SEED_GROUP_IDS, SEED_WORKSPACE_ID, sandboxParticipantId } from '../../../src/local/prolific-sandbox';
import { eventually } from '../../support/eventually';
import { chromiumPath } from '../../support/optionalServices';

const ARTIFACTS = join(__dirname, '../../test-artifacts');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

// Where this machine has no Chromium, every test here is skipped (hooks included); globalSetup
// says so in one line, or fails the run under CI.
const executablePath = chromiumPath();
const it = executablePath ? globalThis.it : globalThis.it.skip;

let dataDir: string;
let playground: Playground;
let browser: Browser;
let page: Page;
const logLines: string[] = [];
const pageErrors: string[] = [];
const dialogs: string[] = [];
const viewTexts: string[] = [];

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'pgroup-playground-'));
  const { config } = readConfig({ DATA_DIR: dataDir, PORT: '0' });
  const logger = new AppLogger({ sink: (line) => logLines.push(line) });
  playground = await startPlayground(config, logger, { port: 0 });
  playground.slack.events.on('view', ({ view }) => viewTexts.push(JSON.stringify(view.view)));
  browser = await chromium.launch({ executablePath: executablePath as string, headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
}, 45_000);

afterAll(async () => {
  await browser?.close();
  await playground?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  if (!playground) return;
  expect(playground.slack.blockKitViolations).toEqual([]);
  expect(pageErrors).toEqual([]);
});

async function runCommand(text: string): Promise<void> {
  const box = page.locator('#composer');
  await box.fill(text);
  await box.press('Enter');
}

const members = (groupId: string) => [...playground.sandbox!.state.members(groupId)].sort();

it('starts on a free port and says so without printing a secret', () => {
  expect(playground.url).toMatch(/^http:\/\/localhost:\d+$/);
  expect(playground.url).not.toBe('http://localhost:0');
  const startup = logLines.find((l) => l.includes('Local playground (no Slack credentials): open'));
  expect(startup).toContain(`open ${playground.url}`);
  expect(startup).toContain('embedded Prolific sandbox');
  expect(logLines.join('\n')).not.toMatch(/xoxb-|Token [0-9a-f]{16}/);
});

it('takes the whole flow: list, show, rename, upload a CSV, preview, confirm, notification, undo', async () => {
  const pilot = SEED_GROUP_IDS.pilot;
  const original = members(pilot);
  expect(original).toHaveLength(12);
  const added = [sandboxParticipantId(900_001), sandboxParticipantId(900_002), sandboxParticipantId(900_003)];
  const csvIds = [original[0]!, original[1]!, ...added];
  const csvPath = join(dataDir, 'spring-cohort.csv');
  writeFileSync(csvPath, `participant_id,status\n${csvIds.map((id) => `${id},APPROVED`).join('\n')}\nnot-an-id,APPROVED\n`);

  await page.goto(playground.url);
  await page.locator('.sidebar-item.active[data-channel="C_GENERAL"]').waitFor();

  // 1. /pgroup list
  await runCommand('/pgroup list');
  const list = page.locator('article.message', { hasText: 'Participant groups' });
  await list.waitFor();
  expect(await list.locator('.ephemeral-note').textContent()).toContain('Only visible to you');

  // 2. Open a group.
  await list.locator('.block-section', { hasText: 'Pilot participants' }).getByRole('button', { name: 'Show' }).click();
  const card = page.locator('article.message', { has: page.locator('.block-header', { hasText: 'Pilot participants' }) });
  await card.waitFor();
  expect(await card.locator('.fields').textContent()).toContain('12');

  // 3. Rename it through the modal, from the card's overflow menu (⋯).
  const more = card.locator('.overflow[data-action-id="group_more"]');
  await more.getByRole('button', { name: 'More actions' }).click();
  expect(await more.getByRole('menuitem').allTextContents()).toEqual(['Export members (only to you)', 'Message members…', 'Tell me when it changes (DM)', 'Rename…', 'Delete group…']);
  await more.getByRole('menuitem', { name: 'Rename…' }).click();
  expect(await more.getByRole('menu').isHidden()).toBe(true);
  const modal = page.locator('form.modal');
  const nameInput = modal.locator('input[data-action-id="name_input"]');
  await nameInput.waitFor();
  expect(await modal.locator('#modal-title').textContent()).toBe('Rename group');
  expect(await nameInput.inputValue()).toBe('Pilot participants');
  const groupSelect = modal.locator('select[data-action-id="group_select"]');
  expect(await groupSelect.inputValue()).toBe(pilot);
  // The group picker dispatches a block action: the app refills the name with the chosen group's.
  await groupSelect.selectOption(SEED_GROUP_IDS.mainPanel);
  await eventually(async () => (await nameInput.inputValue()) === 'Main panel', 'the name of the chosen group');
  await groupSelect.selectOption(pilot);
  await eventually(async () => (await nameInput.inputValue()) === 'Pilot participants', 'the name of the pilot group again');
  await nameInput.fill('');
  await modal.getByRole('button', { name: 'Rename', exact: true }).click();
  // Slack's client refuses an empty required field itself.
  await modal.locator('.input-error', { hasText: 'Please complete this required field.' }).waitFor();
  await nameInput.fill('Pilot participants (spring)');
  await modal.getByRole('button', { name: 'Rename', exact: true }).click();
  await modal.waitFor({ state: 'detached' });
  await page.locator('article.message', { hasText: 'Done: you renamed' }).waitFor();
  expect(playground.sandbox!.state.getGroup(pilot)?.name).toBe('Pilot participants (spring)');

  // 4. Upload a CSV in Replace mode: a real file, chosen through the file input.
  await card.getByRole('button', { name: 'Upload', exact: true }).click();
  const fileInput = modal.locator('input[type="file"]');
  await fileInput.waitFor({ state: 'attached' });
  expect(await modal.locator('select[data-action-id="group_select"]').inputValue()).toBe(pilot);
  await fileInput.setInputFiles(csvPath);
  await modal.locator('.file-chip .file-name', { hasText: 'spring-cohort.csv' }).waitFor();
  await modal.locator('label.radio', { hasText: 'Replace all members' }).click();
  await modal.getByRole('button', { name: 'Preview', exact: true }).click();
  await modal.locator('.modal-body', { hasText: 'The preview is ready' }).waitFor();
  expect(viewTexts.some((t) => t.includes('Reading spring-cohort.csv'))).toBe(true);
  await modal.locator('.modal-close').click();
  await modal.waitFor({ state: 'detached' });

  // 5. See the warning.
  const preview = page.locator('article.message.ephemeral', { hasText: 'current members will be removed' });
  await preview.waitFor();
  const previewText = await preview.textContent();
  expect(previewText).toContain('10 of the 12 current members will be removed,');
  expect(previewText).toContain('not-an-id');
  expect(await preview.locator('strong', { hasText: 'Pilot participants (spring)' }).count()).toBeGreaterThan(0);
  await preview.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, 'playground-preview.png') });
  expect(members(pilot)).toEqual(original);

  // 6. Confirm through the dialog: "Go back" sends nothing; confirming applies the change.
  const replace = preview.getByRole('button', { name: /^Replace with \d+ ids$/ });
  expect(await replace.getAttribute('class')).toContain('danger');
  await replace.click();
  const dialog = page.locator('.dialog');
  await dialog.waitFor();
  expect(await dialog.locator('h3').textContent()).toBe('Change the group now?');
  expect(await dialog.textContent()).toContain('10 participants will be removed');
  await dialog.locator('.confirm-no').click();
  await dialog.waitFor({ state: 'detached' });
  expect(members(pilot)).toEqual(original);
  const previewTs = await preview.getAttribute('data-ts');
  await replace.click();
  await dialog.locator('.confirm-yes').click();
  await page.locator(`article.message[data-ts="${previewTs}"]`, { hasText: 'Done: you replaced the members of' }).waitFor();
  expect(members(pilot)).toEqual([...csvIds].sort());

  // 7. See the notification in the other channel.
  const notifyLink = page.locator('.sidebar-item[data-channel="C_NOTIFY"]');
  await notifyLink.locator('.badge').waitFor();
  await notifyLink.click();
  const notification = page.locator('article.message', { hasText: 'replaced the members of' });
  await notification.waitFor();
  expect(await notification.getAttribute('class')).not.toContain('ephemeral');
  expect(await notification.locator('.mention').first().textContent()).toBe('@Alice');
  expect(await notification.textContent()).toContain('12 → 5 (+3 / −10)');
  // Its details are in its thread: "1 reply", which opens under it.
  const thread = notification.locator('details.thread');
  expect(await thread.locator('summary.thread-summary').textContent()).toBe('1 reply');
  await thread.locator('summary.thread-summary').click();
  const reply = thread.locator('article.thread-reply');
  await reply.waitFor();
  expect(await reply.textContent()).toContain('spring-cohort.csv');
  expect(await reply.textContent()).toContain(`/pgroup history ${pilot}`);
  await page.screenshot({ path: join(ARTIFACTS, 'playground-notification.png') });

  // 8. Press Undo, and confirm the undo's own preview.
  await notification.getByRole('button', { name: 'Undo' }).click();
  const undoPreview = page.locator('article.message.ephemeral', { hasText: 'Undo this change to' });
  await undoPreview.waitFor();
  await undoPreview.getByRole('button', { name: 'Undo this change', exact: true }).click();
  await dialog.locator('.confirm-yes').click();
  await page.locator('article.message', { hasText: 'Done: you undid' }).waitFor();

  // 9. The sandbox holds the original members again.
  await eventually(() => members(pilot).length === 12, 'the restored membership');
  expect(members(pilot)).toEqual(original);
  expect(dialogs).toEqual([]);
}, 50_000);

it('shows a crafted group name as text, never as markup', async () => {
  const crafted = '<img src=x onerror=alert(1)> & <b>bold</b>';
  playground.sandbox!.state.createGroup({ name: crafted, workspace_id: SEED_WORKSPACE_ID });
  await page.locator('.sidebar-item[data-channel="C_GENERAL"]').click();
  await runCommand('/pgroup list onerror');
  const list = page.locator('article.message', { hasText: 'Groups matching' });
  await list.waitFor();
  expect(await list.locator('.block-section strong', { hasText: '<img' }).textContent()).toBe(crafted);
  expect(await page.locator('#messages img, #messages b').count()).toBe(0);
  expect(dialogs).toEqual([]);
});

it('lets Bob see the notifications but not Alice’s private replies, and refuses his changes', async () => {
  await page.locator('#user-switch').selectOption('U_BOB');
  await page.locator('#user-note', { hasText: 'Bob Baker may look, but not change groups' }).waitFor();
  await page.locator('.sidebar-item[data-channel="C_GENERAL"]').click();
  expect(await page.locator('article.message', { hasText: 'Participant groups' }).count()).toBe(0);
  await page.locator('.sidebar-item[data-channel="C_NOTIFY"]').click();
  const notification = page.locator('article.message', { hasText: 'replaced the members of' });
  await notification.getByRole('button', { name: 'Undo' }).click();
  await page.locator('article.message.ephemeral', { hasText: 'You are not on the list of people who may change participant groups' }).waitFor();
  await page.locator('#user-switch').selectOption('U_ALICE');
  await page.locator('#user-note', { hasText: 'Alice Archer may change groups' }).waitFor();
});

it('searches the groups in an external_select once there are more than a static select holds', async () => {
  for (let i = 0; i < 100; i++) playground.sandbox!.state.createGroup({ name: `Cohort ${String(i).padStart(3, '0')}`, workspace_id: SEED_WORKSPACE_ID });
  await page.locator('.sidebar-item[data-channel="C_GENERAL"]').click();
  await runCommand('/pgroup upload');
  const modal = page.locator('form.modal');
  const picker = modal.locator('input[role="combobox"][data-action-id="group_select"]');
  await picker.waitFor();
  await picker.fill('cohort 042');
  await modal.locator('.option-list li', { hasText: 'Cohort 042 (0)' }).click();
  expect(await picker.inputValue()).toBe('Cohort 042 (0)');
  await modal.locator('textarea[data-action-id="paste_input"]').fill(`${sandboxParticipantId(42)}\n${sandboxParticipantId(43)}`);
  await modal.locator('label.radio', { hasText: 'Add to group' }).click();
  await modal.getByRole('button', { name: 'Preview', exact: true }).click();
  await modal.locator('.modal-body', { hasText: 'The preview is ready' }).waitFor();
  await modal.locator('.modal-x').click();
  const preview = page.locator('article.message.ephemeral', { hasText: 'Add members to Cohort 042' });
  await preview.waitFor();
  expect(await preview.getByRole('button', { name: 'Add 2 members' }).getAttribute('class')).toContain('primary');
});

it('offers the message shortcut on a person’s message, the shortcuts menu and the Workflow panel', async () => {
  await page.locator('.sidebar-item[data-channel="C_GENERAL"]').click();
  const ids = [sandboxParticipantId(950_001), sandboxParticipantId(950_002)];
  // Text that is not a command is posted as the person's message.
  await runCommand(`add these ${ids.join(' ')}`);
  const mine = page.locator('article.message.person', { hasText: 'add these' });
  await mine.waitFor();
  await mine.locator('.more-actions summary').click();
  await mine.getByRole('menuitem', { name: 'Add to a participant group…' }).click();
  const modal = page.locator('form.modal');
  await modal.locator('#modal-title', { hasText: 'Add to a group' }).waitFor();
  await modal.locator('.modal-body', { hasText: '2 participant ids in' }).waitFor();
  await modal.locator('.modal-x').click();

  await page.locator('#shortcuts-menu summary').click();
  await page.getByRole('menuitem', { name: 'Participant groups' }).click();
  await page.locator('form.modal #modal-title', { hasText: 'Participant groups' }).waitFor();
  await page.locator('form.modal .modal-body', { hasText: 'Create a group' }).waitFor();
  await page.locator('form.modal .modal-x').click();

  const added = sandboxParticipantId(950_003);
  await page.locator('#workflow-group').fill(SEED_GROUP_IDS.mainPanel);
  await page.locator('#workflow-ids').fill(added);
  await page.locator('#workflow-user').selectOption('U_CAROL');
  await page.locator('.workflow-run').click();
  await page.locator('#workflow-result', { hasText: 'Step completed: 1 added' }).waitFor();
  expect(members(SEED_GROUP_IDS.mainPanel)).toContain(added);
});

it('shows the line breaks of a message’s body in its preview, as Slack does for plain text', async () => {
  await page.locator('.sidebar-item[data-channel="C_GENERAL"]').click();
  await runCommand(`/pgroup message ${SEED_GROUP_IDS.pilotWave2}`);
  const modal = page.locator('form.modal');
  const body = 'Dear participant,\n\nThe second wave opens on Monday.\nThank you';
  await modal.locator('textarea[data-action-id="message_body_input"]').fill(body);
  await modal.getByRole('button', { name: 'Preview', exact: true }).click();
  const preview = page.locator('article.message.ephemeral', { hasText: 'Participants will read exactly this' });
  await preview.waitFor();
  // innerText follows the CSS: line breaks the page drops would read as spaces.
  // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered is what is checked
  expect(await preview.locator('.plain', { hasText: 'Dear participant' }).innerText()).toBe(body);
  if (await modal.count()) await modal.locator('.modal-x').click();
});
