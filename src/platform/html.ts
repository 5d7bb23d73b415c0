import sanitizeHtml from 'sanitize-html';

/**
 * Customer HTML is hostile until proven otherwise. This keeps formatting and links, and removes scripts,
 * event handlers, forms, styles, iframes and remote images (tracking pixels): only inline `cid:`/`data:`
 * images survive. It runs before storage; whoever renders it sanitizes again.
 */
const options: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'div',
    'span',
    'b',
    'strong',
    'i',
    'em',
    'u',
    's',
    'blockquote',
    'pre',
    'code',
    'ul',
    'ol',
    'li',
    'a',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'hr',
    'img',
    'sub',
    'sup',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' },
    }),
  },
};
options.allowedAttributes = {
  ...(options.allowedAttributes as Record<string, string[]>),
  a: ['href', 'title', 'rel', 'target'],
};

export function sanitizeMessageHtml(html: string): string {
  return sanitizeHtml(html, options);
}
