/** The widget's styles, inside its shadow root: the host page's CSS cannot reach in, nor ours out. */
export const styles = (color: string) => `
:host { all: initial; }
* { box-sizing: border-box; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.launcher { position: fixed; right: 20px; bottom: 20px; width: 56px; height: 56px; border-radius: 50%;
  border: 0; background: ${color}; color: #fff; cursor: pointer; box-shadow: 0 4px 14px rgba(0,0,0,.25);
  z-index: 2147483000; display: flex; align-items: center; justify-content: center; }
.launcher svg { width: 26px; height: 26px; fill: currentColor; }
.launcher:focus-visible, button:focus-visible, textarea:focus-visible, input:focus-visible {
  outline: 3px solid #1b4fd1; outline-offset: 2px; }
.panel { position: fixed; right: 20px; bottom: 88px; width: min(360px, calc(100vw - 40px));
  height: min(540px, calc(100vh - 120px)); background: #fff; color: #1f2933; border-radius: 12px;
  box-shadow: 0 8px 30px rgba(0,0,0,.25); display: flex; flex-direction: column; overflow: hidden;
  z-index: 2147483000; }
.panel[hidden] { display: none; }
header { background: ${color}; color: #fff; padding: 12px 16px; display: flex; align-items: center;
  justify-content: space-between; }
header h2 { margin: 0; font-size: 16px; font-weight: 600; color: #fff; }
header button { background: transparent; border: 0; color: #fff; font-size: 22px; cursor: pointer; line-height: 1; }
.notice { background: #fff8e1; color: #5c4400; padding: 8px 16px; font-size: 13px; border-bottom: 1px solid #f0e0a0; }
.notice[hidden], .who[hidden], .typing[hidden], .status[hidden] { display: none; }
.log { flex: 1; overflow-y: auto; padding: 12px 16px; display: flex; flex-direction: column; gap: 6px;
  list-style: none; margin: 0; }
.msg { max-width: 80%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.msg.agent { align-self: flex-start; background: #eef1f5; color: #1f2933; }
.msg.visitor { align-self: flex-end; background: ${color}; color: #fff; }
.msg.pending { opacity: .65; }
.msg.greeting { align-self: flex-start; background: #eef1f5; color: #1f2933; }
.typing, .status { padding: 2px 16px; font-size: 12px; color: #52606d; }
.who { padding: 8px 16px; border-top: 1px solid #e4e7eb; display: grid; gap: 6px; }
.who p { margin: 0; font-size: 13px; color: #3e4c59; }
.who input { padding: 6px 8px; border: 1px solid #9aa5b1; border-radius: 6px; width: 100%; color: #1f2933; background: #fff; }
.row { display: flex; gap: 6px; }
form.compose { display: flex; gap: 8px; padding: 10px 12px; border-top: 1px solid #e4e7eb; }
textarea { flex: 1; resize: none; height: 40px; padding: 8px; border: 1px solid #9aa5b1; border-radius: 8px;
  color: #1f2933; background: #fff; }
button.primary { background: ${color}; color: #fff; border: 0; border-radius: 8px; padding: 0 14px; cursor: pointer;
  font-weight: 600; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
`;
