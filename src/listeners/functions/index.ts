import type { App } from '@slack/bolt';
import type { BotContext } from '../../slack/flows/botContext';
import { ADD_PARTICIPANTS_STEP, runAddParticipantsStep, type StepInputs } from '../../slack/flows/workflowStepFlows';
import type { RequestScope } from '../requestScope';

/**
 * Workflow Builder's custom steps (Bolt's app.function): Bolt acks function_executed, and its client
 * here carries the run's own token. The run ends with complete() (outputs) or fail() (a sentence for
 * the workflow's run log), always once.
 */
export function registerFunctions(app: App<RequestScope>, ctx: BotContext): void {
  app.function(ADD_PARTICIPANTS_STEP, async ({ inputs, complete, fail, client, event }) => {
    const outcome = await ctx.inFlight.track(runAddParticipantsStep(ctx, client, event.function_execution_id, inputs as StepInputs));
    if (outcome.ok) await complete({ outputs: outcome.outputs });
    else await fail({ error: outcome.error });
  });
}
