// Passkeys: WebAuthn lives in the browser's script, so a passkey form asks the server for its
// challenge, hands it to navigator.credentials, puts the answer in its hidden "credential"
// field and is then sent like any form: the server's page says what happened. Without
// JavaScript, or in a browser without WebAuthn, the forms that only make sense with it stay
// hidden, and the others say why they cannot work.
(function () {
  if (!window.PublicKeyCredential || !navigator.credentials) return;

  function decode(text) {
    let base64 = text.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4) base64 += '=';
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  }
  function encode(buffer) {
    let binary = '';
    for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function creationOptions(json) {
    const options = json.publicKey;
    options.challenge = decode(options.challenge);
    options.user.id = decode(options.user.id);
    for (const excluded of options.excludeCredentials || []) excluded.id = decode(excluded.id);
    return { publicKey: options };
  }
  function requestOptions(json) {
    const options = json.publicKey;
    options.challenge = decode(options.challenge);
    for (const allowed of options.allowCredentials || []) allowed.id = decode(allowed.id);
    return { publicKey: options };
  }
  function registrationAnswer(credential) {
    return {
      id: credential.id,
      rawId: encode(credential.rawId),
      type: credential.type,
      response: {
        attestationObject: encode(credential.response.attestationObject),
        clientDataJSON: encode(credential.response.clientDataJSON),
      },
      extensions: credential.getClientExtensionResults(),
    };
  }
  function assertionAnswer(credential) {
    const response = credential.response;
    return {
      id: credential.id,
      rawId: encode(credential.rawId),
      type: credential.type,
      response: {
        authenticatorData: encode(response.authenticatorData),
        clientDataJSON: encode(response.clientDataJSON),
        signature: encode(response.signature),
        userHandle: response.userHandle ? encode(response.userHandle) : null,
      },
      extensions: credential.getClientExtensionResults(),
    };
  }

  for (const form of document.querySelectorAll('form[data-passkey]')) {
    const registering = form.dataset.passkey === 'register';
    const status = form.querySelector('[data-passkey-status]');
    const answer = form.querySelector('input[name="credential"]');
    const name = form.querySelector('input[name="passkey_name"]');
    form.hidden = false;
    form.addEventListener('submit', async (event) => {
      // A passkey without a name is not begun: the server's page asks for the name first.
      if (name && !name.value.trim()) return;
      event.preventDefault();
      status.textContent = form.dataset.waiting;
      try {
        const body = new URLSearchParams({ csrf_token: form.elements.csrf_token.value });
        const response = await fetch(form.dataset.options, {
          method: 'POST',
          body,
          credentials: 'same-origin',
          headers: { Accept: 'application/json' },
        });
        const json = response.headers.get('Content-Type')?.startsWith('application/json')
          ? await response.json()
          : {};
        if (!response.ok) {
          status.textContent = json.error || form.dataset.failed;
          return;
        }
        const credential = registering
          ? await navigator.credentials.create(creationOptions(json))
          : await navigator.credentials.get(requestOptions(json));
        answer.value = JSON.stringify(
          registering ? registrationAnswer(credential) : assertionAnswer(credential)
        );
        form.submit();
      } catch (error) {
        // Cancelled, timed out, or no authenticator: nothing was sent, the form stays.
        status.textContent = form.dataset.failed;
      }
    });
  }
})();
