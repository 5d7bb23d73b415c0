import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sanitizeMessageHtml } from './html.js';

const payloads = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<svg onload=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '<form action="https://evil.example"><input name=p></form>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<img src="https://tracker.example/pixel.gif">',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<body onload=alert(1)>',
  '<object data="data:text/html,<script>alert(1)</script>"></object>',
];

test('hostile HTML loses every script, handler, form, frame and remote image', () => {
  for (const p of payloads) {
    const out = sanitizeMessageHtml(p).toLowerCase();
    for (const bad of [
      '<script',
      'onerror',
      'onload',
      'javascript:',
      '<iframe',
      '<form',
      '<svg',
      'style=',
      'tracker.example',
      '<object',
    ]) {
      assert.ok(!out.includes(bad), `${p} -> ${out} still has ${bad}`);
    }
  }
});

test('ordinary formatting and links survive; links open safely', () => {
  const out = sanitizeMessageHtml('<p>Hello <b>there</b>, see <a href="https://example.com/x">this</a></p>');
  assert.match(out, /<p>Hello <b>there<\/b>/);
  assert.match(out, /href="https:\/\/example.com\/x"/);
  assert.match(out, /rel="noopener noreferrer nofollow"/);
});
