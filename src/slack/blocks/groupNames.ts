// What the app says about a name typed for a group (create, rename, copy).
import { type GroupNameProblem, groupNameProblem } from '../../services/groups';

export function nameProblemText(problem: GroupNameProblem): string {
  switch (problem.kind) {
    case 'empty':
      return 'Enter a name.';
    case 'too_long':
      return `Names can be at most ${problem.max} characters (this one has ${problem.length}).`;
    case 'unchanged':
      return 'That is already the group’s name.';
  }
}

/** The words for what is wrong with `name`, or null when it can be a group's name. */
export function groupNameProblemText(name: string, currentName?: string): string | null {
  const problem = groupNameProblem(name, currentName);
  return problem ? nameProblemText(problem) : null;
}
