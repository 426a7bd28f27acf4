/* global window, document, location, fetch, performance, sessionStorage, URLSearchParams */
// The page's view of VS Code, faked: `acquireVsCodeApi` with state kept in
// sessionStorage (so a reload restores it, as VS Code does), and messages
// answered by the harness server with real view models.
(function () {
  const params = new URLSearchParams(location.search);
  const theme = params.get('theme') || 'light';
  // Which of the server's profiles this page shows (servers with one profile ignore it).
  const profile = params.get('profile') || '';
  document.documentElement.dataset.theme = theme;
  const posted = [];
  window.__hotpath = { posted, profilePostedAt: 0, profilesPosted: 0, profilesShown: 0, theme };
  async function answer(message) {
    if (message.type !== 'ready' && message.type !== 'filter') return;
    const filter = message.type === 'filter' ? message : message.filter;
    const query = new URLSearchParams({ profile });
    if (filter) query.set('filter', JSON.stringify(filter));
    const response = await fetch('/profile?' + query.toString());
    const payload = await response.json();
    window.__hotpath.profilePostedAt = performance.now();
    window.__hotpath.profilesPosted++;
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
  document.addEventListener('DOMContentLoaded', () => {
    document.body.classList.add(bodyClass);
    // Added after the page's own listener (the bundle runs before DOMContentLoaded), so this
    // counts profiles the page has finished handling: tests wait for it after a filter change.
    window.addEventListener('message', (e) => {
      if (e.data && e.data.type === 'setProfile') window.__hotpath.profilesShown++;
    });
  });
})();
