import { type Deps, fail, ok, type Result, randomSecret, recordEvent } from '../../platform/index.js';
import { type CreatedConversation, createConversation } from '../conversations/index.js';
import { findTeam } from '../people/index.js';
import {
  type ContactForm,
  type ContactFormFields,
  deleteForm,
  findForm,
  findFormByKey,
  insertForm,
  updateForm,
} from './forms.repo.js';

const notFound = () => fail('CONTACT_FORM_NOT_FOUND', 'Contact form not found');

async function checkTeam(deps: Deps, workspaceId: number, teamId: number | null | undefined) {
  if (teamId && !(await findTeam(deps.db, workspaceId, teamId)))
    return fail('TEAM_NOT_FOUND', 'The team is not a team of this workspace', { teamId });
  return ok(null);
}

export async function createForm(
  deps: Deps,
  workspaceId: number,
  personId: number,
  input: ContactFormFields,
): Promise<Result<ContactForm>> {
  const team = await checkTeam(deps, workspaceId, input.teamId);
  if (!team.ok) return team;
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    // 24 random bytes: the key is public, but must not be guessable from another form's.
    const form = await insertForm(tx, {
      ...input,
      workspaceId,
      publicKey: randomSecret(24),
      createdAt: now,
      updatedAt: now,
    });
    await recordEvent(tx, {
      workspaceId,
      type: 'contact_form.created',
      entityType: 'contact_form',
      entityId: form.id,
      actor: { type: 'person', id: personId },
      data: { name: form.name },
      at: now,
    });
    return ok(form);
  });
}

export async function changeForm(
  deps: Deps,
  workspaceId: number,
  personId: number,
  id: number,
  changes: Partial<ContactFormFields>,
): Promise<Result<ContactForm>> {
  const team = await checkTeam(deps, workspaceId, changes.teamId);
  if (!team.ok) return team;
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const form = await updateForm(tx, workspaceId, id, { ...changes, updatedAt: now });
    if (!form) return notFound();
    await recordEvent(tx, {
      workspaceId,
      type: 'contact_form.changed',
      entityType: 'contact_form',
      entityId: id,
      actor: { type: 'person', id: personId },
      data: { changed: Object.keys(changes) },
      at: now,
    });
    return ok(form);
  });
}

export async function removeForm(
  deps: Deps,
  workspaceId: number,
  personId: number,
  id: number,
): Promise<Result<null>> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    if (!(await deleteForm(tx, workspaceId, id))) return notFound();
    await recordEvent(tx, {
      workspaceId,
      type: 'contact_form.deleted',
      entityType: 'contact_form',
      entityId: id,
      actor: { type: 'person', id: personId },
      data: {},
      at: now,
    });
    return ok(null);
  });
}

export async function readForm(deps: Deps, workspaceId: number, id: number): Promise<Result<ContactForm>> {
  const form = await findForm(deps.db, workspaceId, id);
  return form ? ok(form) : notFound();
}

/** A form customers may fill in: known and switched on (a switched-off form is as unknown as a missing one). */
export async function liveForm(deps: Deps, key: string): Promise<ContactForm | undefined> {
  if (!/^[A-Za-z0-9_-]{10,64}$/.test(key)) return undefined;
  const form = await findFormByKey(deps.db, key);
  return form?.active ? form : undefined;
}

export type Submission = {
  submissionId: string;
  name: string;
  email: string;
  phone?: string;
  subject?: string;
  message: string;
  attachmentIds: number[];
  locale?: string;
};

/**
 * A filled-in form becomes a conversation on the `webform` channel. The client's submission id is the first
 * message's external id, so a form sent twice (a double click, a retry after a lost answer) makes one
 * conversation: the second answers like the first.
 */
export async function submitForm(
  deps: Deps,
  form: ContactForm,
  input: Submission,
): Promise<Result<{ conversationId: number; duplicate: boolean }>> {
  const created: Result<CreatedConversation> = await createConversation(
    deps,
    form.workspaceId,
    { actor: { type: 'system', id: null }, personId: 0, canReassign: false },
    {
      subject: input.subject?.trim() || `${form.name}: ${input.message.slice(0, 60).trim()}`,
      channel: 'webform',
      customer: {
        email: input.email,
        name: input.name || undefined,
        phone: form.askPhone && input.phone ? input.phone : undefined,
        locale: input.locale,
      },
      teamId: form.teamId,
      message: {
        direction: 'inbound',
        body: input.message,
        externalId: `form-${form.id}-${input.submissionId}`,
        attachmentIds: input.attachmentIds,
      },
    },
  );
  if (created.ok) return ok({ conversationId: created.value.conversation.id, duplicate: false });
  if (created.code === 'DUPLICATE_EXTERNAL_ID') {
    const details = created.details as { conversationId?: number };
    if (details.conversationId) return ok({ conversationId: details.conversationId, duplicate: true });
  }
  return created;
}
