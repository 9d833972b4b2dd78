// The studio's DOM helpers, shared by its modules: $(id), and el('li', {class, text, onclick}, ...children).
// `text` is set with textContent (catalog text is never HTML); `on...` are listeners.
export const $ = (id) => document.getElementById(id);
export const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  e.append(...children);
  return e;
};
