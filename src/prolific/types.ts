// Shapes of Prolific's participant-group API, as documented in Prolific's public OpenAPI
// document (ParticipantGroupResponse, ParticipantGroupMembershipListResponse, Error).

export type FeederAction = 'ADD_TO_PARTICIPANT_GROUP' | 'REMOVE_FROM_PARTICIPANT_GROUP';

export interface FeederCompletionCode {
  code: string;
  code_type: string;
  action: FeederAction;
}

export interface FeederStudy {
  id: string;
  name: string;
  internal_name: string;
  status: string;
  feeder_completion_codes: FeederCompletionCode[];
}

export interface ParticipantGroup {
  id: string;
  name: string;
  description: string | null;
  workspace_id: string | null;
  organisation_id: string | null;
  project_id: string | null;
  participant_count: number;
  is_deleted: boolean;
  feeder_studies: FeederStudy[];
}

export interface GroupMember {
  participant_id: string;
  datetime_created: string;
}

export interface Workspace {
  id: string;
  title: string;
  [key: string]: unknown;
}

export interface Me {
  id: string;
  email?: string;
  [key: string]: unknown;
}

export interface CreateGroupInput {
  name: string;
  workspace_id?: string;
  organisation_id?: string;
  description?: string;
  participant_ids?: string[];
}

export interface UpdateGroupInput {
  name?: string;
  participant_ids?: string[];
}

/** The body of every documented 4XX answer. */
export interface ProlificErrorBody {
  error: {
    status: number;
    error_code: number;
    title: string;
    detail: string | string[] | Record<string, string[] | string>;
    additional_information?: string;
    traceback?: string;
    interactive?: boolean;
  };
}
