/** The collision warning: colleagues who have this conversation open, and who is typing. */
export function Collision({
  viewers,
  personName,
}: {
  viewers: Array<{ personId: number; state: 'viewing' | 'typing' }>;
  personName: (id: number | null) => string | undefined;
}) {
  const name = (id: number) => personName(id) ?? 'A colleague';
  const typing = viewers.filter((v) => v.state === 'typing').map((v) => name(v.personId));
  const viewing = viewers.filter((v) => v.state === 'viewing').map((v) => name(v.personId));
  const list = (names: string[]) =>
    names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
  return (
    <div className="collision" role="status">
      {typing.length > 0 && (
        <p className="collision-typing">
          {list(typing)} {typing.length > 1 ? 'are' : 'is'} typing here now: check before you answer.
        </p>
      )}
      {viewing.length > 0 && (
        <p className="collision-viewing">
          {list(viewing)} {viewing.length > 1 ? 'are' : 'is'} viewing this conversation.
        </p>
      )}
    </div>
  );
}
