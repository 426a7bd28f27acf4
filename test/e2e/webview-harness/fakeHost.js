/* global window, document, location, fetch, performance, sessionStorage, URLSearchParams */
// The page's view of VS Code, faked: `acquireVsCodeApi` with state kept in
// sessionStorage (so a reload restores it, as VS Code does), and messages
// answered by the harness server with real view models.
(function () {
  const theme = new URLSearchParams(location.search).get('theme') || 'light';
  document.documentElement.dataset.theme = theme;
  const posted = [];
  window.__hotpath = { posted, profilePostedAt: 0, theme };
  async function answer(message) {
    if (message.type !== 'ready' && message.type !== 'filter') return;
    const filter = message.type === 'filter' ? message : message.filter;
    const query = filter ? '?filter=' + encodeURIComponent(JSON.stringify(filter)) : '';
    const response = await fetch('/profile' + query);
    const payload = await response.json();
    window.__hotpath.profilePostedAt = performance.now();
    window.postMessage(payload, '*');
  }
  window.acquireVsCodeApi = function () {
    return {
      postMessage(message) {
        posted.push(message);
        answer(message);
      },
      getState() {
        const saved = sessionStorage.getItem('hotpath-state');
        return saved ? JSON.parse(saved) : undefined;
      },
      setState(state) {
        sessionStorage.setItem('hotpath-state', JSON.stringify(state));
      },
    };
  };
  const bodyClass = theme === 'hc' ? 'vscode-high-contrast' : 'vscode-' + theme;
  document.addEventListener('DOMContentLoaded', () => document.body.classList.add(bodyClass));
})();
