/** One small line icon per channel (24-unit paths, drawn with the text colour); decorative: the name is beside it. */
const paths: Record<string, string> = {
  email: 'M3 6h18v12H3z M3 6l9 7 9-7',
  chat: 'M4 5h16v11H9l-5 4z',
  whatsapp: 'M4 5h16v11H9l-5 4z M9 10.5h6',
  sms: 'M7 3h10v18H7z M11 18h2',
  phone: 'M6 3l3 0 2 5-2 1.5a11 11 0 0 0 5.5 5.5L16 13l5 2v3a2 2 0 0 1-2 2A16 16 0 0 1 4 5a2 2 0 0 1 2-2z',
  webform: 'M5 3h14v18H5z M8 8h8 M8 12h8 M8 16h5',
  social: 'M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8 M16 12v1.5a2.5 2.5 0 0 0 5 0V12a9 9 0 1 0-4 7.5',
  api: 'M8 7l-5 5 5 5 M16 7l5 5-5 5',
};

export function ChannelIcon({ channel }: { channel: string }) {
  return (
    <svg
      className="channel-icon"
      viewBox="0 0 24 24"
      width="14"
      height="14"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={paths[channel] ?? paths.api} />
    </svg>
  );
}
