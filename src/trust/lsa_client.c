#include "trust/lsa_client.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <talloc.h>
/* Samba's Kerberos login runs a loop inside the connect's loop: its own tools allow that
 * with tevent_loop_allow_nesting, which tevent declares only on request. */
#define TEVENT_DEPRECATED 1
#include <tevent.h>
#include <util/data_blob.h>
#include <core/ntstatus.h>
#include <credentials.h>
#include <param.h>
#include <dcerpc.h>
#include <gen_ndr/lsa.h>
#include <gen_ndr/security.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

/* Exported by libndr-standard, declared in no public header. */
extern const struct ndr_interface_table ndr_table_lsarpc;

/* "S-1-5-21-a-b-c" into a dom_sid (Samba's own parser is in a private library). */
static bool parse_sid(const char *text, struct dom_sid *sid)
{
    memset(sid, 0, sizeof *sid);
    if (strncmp(text, "S-1-", 4) != 0)
        return false;
    const char *p = text + 4;
    char *end = NULL;
    errno = 0;
    const unsigned long long authority = strtoull(p, &end, 10);
    if (end == p || errno != 0 || authority > 0xffffffffffffULL)
        return false;
    sid->sid_rev_num = 1;
    for (int i = 0; i < 6; ++i)
        sid->id_auth[i] = (uint8_t)(authority >> (8 * (5 - i)));
    p = end;
    while (*p == '-') {
        ++p;
        if (sid->num_auths == 15 || *p < '0' || *p > '9')
            return false;
        const unsigned long v = strtoul(p, &end, 10);
        if (end == p || errno != 0 || v > 0xffffffffUL)
            return false;
        sid->sub_auths[sid->num_auths++] = (uint32_t)v;
        p = end;
    }
    return *p == '\0' && sid->num_auths > 0;
}

#define LSA_POLICY_ACCESS 0x02000000 /* SEC_FLAG_MAXIMUM_ALLOWED */
#define TRUSTED_ACCESS 0x000F007F   /* LSA_TRUSTED_DOMAIN_ALL_ACCESS ([MS-LSAD] 2.2.1.1.5) */
#define STANDARD_DELETE 0x00010000

struct session {
    TALLOC_CTX *mem;
    struct dcerpc_pipe *pipe;
    struct policy_handle policy;
    char *error;
    size_t error_size;
};

static void say(struct session *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->error, s->error_size, fmt, ap);
    va_end(ap);
}

static int opnum(const char *name)
{
    for (uint32_t i = 0; i < ndr_table_lsarpc.num_calls; ++i)
        if (strcmp(ndr_table_lsarpc.calls[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Calls `name`; on failure writes "what: STATUS" and returns false. */
static bool call(struct session *s, const char *name, void *r, NTSTATUS *result, const char *what)
{
    const int op = opnum(name);
    if (op < 0) {
        say(s, "%s: this Samba's LSA table has no %s", what, name);
        return false;
    }
    NTSTATUS status = dcerpc_binding_handle_call(s->pipe->binding_handle, NULL, &ndr_table_lsarpc, (uint32_t)op,
                                                 s->mem, r);
    if (!NT_STATUS_IS_OK(status)) {
        say(s, "%s: %s", what, nt_errstr(status));
        return false;
    }
    if (result != NULL && !NT_STATUS_IS_OK(*result)) {
        say(s, "%s: %s", what, nt_errstr(*result));
        return false;
    }
    return true;
}

static bool open_session(struct session *s, const char *host, const struct gpokit_lsa_auth *auth)
{
    NTSTATUS init = dcerpc_init(); /* gensec and the transports; once per process is enough, more is harmless */
    if (!NT_STATUS_IS_OK(init)) {
        say(s, "cannot start Samba's DCE/RPC client: %s", nt_errstr(init));
        return false;
    }
    struct tevent_context *ev = tevent_context_init(s->mem);
    struct loadparm_context *lp = loadparm_init_global(true);
    struct cli_credentials *creds = cli_credentials_init(s->mem);
    if (ev == NULL || lp == NULL || creds == NULL) {
        say(s, "cannot set up Samba's client libraries");
        return false;
    }
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    tevent_loop_allow_nesting(ev);
#pragma GCC diagnostic pop
    cli_credentials_guess(creds, lp);
    if (auth->user != NULL) {
        /* "DOMAIN\user", "user@REALM" or "user", as Samba's own tools take it */
        cli_credentials_parse_string(creds, auth->user, CRED_SPECIFIED);
        cli_credentials_set_password(creds, auth->password, CRED_SPECIFIED);
        cli_credentials_set_kerberos_state(creds, CRED_USE_KERBEROS_DESIRED, CRED_SPECIFIED);
    } else {
        cli_credentials_set_kerberos_state(creds, CRED_USE_KERBEROS_REQUIRED, CRED_SPECIFIED);
    }
    /* Plain ncacn_np: the SMB session key encrypts the trust passwords ([seal] refuses it). */
    char *binding = talloc_asprintf(s->mem, "ncacn_np:%s[smb2]", host);
    NTSTATUS status = dcerpc_pipe_connect(s->mem, &s->pipe, binding, &ndr_table_lsarpc, creds, ev, lp);
    if (!NT_STATUS_IS_OK(status)) {
        say(s, "cannot open LSA on %s over SMB: %s", host, nt_errstr(status));
        return false;
    }
    struct lsa_ObjectAttribute attr;
    memset(&attr, 0, sizeof attr);
    struct lsa_OpenPolicy2 r;
    memset(&r, 0, sizeof r);
    r.in.system_name = "";
    r.in.attr = &attr;
    r.in.access_mask = LSA_POLICY_ACCESS;
    r.out.handle = &s->policy;
    return call(s, "lsa_OpenPolicy2", &r, &r.out.result, "LSA OpenPolicy2");
}

/* Opens the trust named `realm`: 1 opened, 0 no such trust, -1 error. */
static int open_trust(struct session *s, const char *realm, struct policy_handle *out)
{
    struct lsa_OpenTrustedDomainByName r;
    memset(&r, 0, sizeof r);
    r.in.handle = &s->policy;
    r.in.name.string = realm;
    r.in.access_mask = TRUSTED_ACCESS | STANDARD_DELETE;
    r.out.trustdom_handle = out;
    if (!call(s, "lsa_OpenTrustedDomainByName", &r, NULL, "LSA OpenTrustedDomainByName"))
        return -1;
    if (NT_STATUS_EQUAL(r.out.result, NT_STATUS_OBJECT_NAME_NOT_FOUND))
        return 0;
    if (!NT_STATUS_IS_OK(r.out.result)) {
        say(s, "LSA OpenTrustedDomainByName %s: %s", realm, nt_errstr(r.out.result));
        return -1;
    }
    return 1;
}

static bool delete_object(struct session *s, struct policy_handle *h)
{
    struct lsa_DeleteObject r;
    memset(&r, 0, sizeof r);
    r.in.handle = h;
    r.out.handle = h;
    return call(s, "lsa_DeleteObject", &r, &r.out.result, "LSA DeleteObject");
}

int gpokit_lsa_create_trust(const char *host, const struct gpokit_lsa_auth *auth, const struct gpokit_lsa_trust *trust,
                            int replace, char *error, size_t error_size)
{
    struct session s = {talloc_new(NULL), NULL, {0}, error, error_size};
    int result = GPOKIT_LSA_ERROR;
    bool replaced = false;
    if (!open_session(&s, host, auth))
        goto done;
    struct policy_handle existing;
    const int found = open_trust(&s, trust->realm, &existing);
    if (found < 0)
        goto done;
    if (found > 0) {
        if (!replace) {
            result = GPOKIT_LSA_EXISTS;
            goto done;
        }
        if (!delete_object(&s, &existing))
            goto done;
        replaced = true;
    }

    DATA_BLOB key = data_blob_null;
    NTSTATUS status = dcerpc_fetch_session_key(s.pipe, &key);
    if (!NT_STATUS_IS_OK(status) || key.length == 0) {
        say(&s, "no SMB session key to encrypt the trust password with: %s", nt_errstr(status));
        goto done;
    }
    uint8_t *blob = talloc_memdup(s.mem, trust->passwords, trust->passwords_len);
    if (blob == NULL || trust->passwords_len < 512) {
        say(&s, "the trust password blob is too short");
        goto done;
    }
    if (gnutls_rnd(GNUTLS_RND_NONCE, blob, 512) != 0) {
        say(&s, "no random bytes for the trust password blob");
        goto done;
    }
    gnutls_cipher_hd_t rc4;
    gnutls_datum_t k = {key.data, (unsigned)key.length};
    if (gnutls_cipher_init(&rc4, GNUTLS_CIPHER_ARCFOUR_128, &k, NULL) != 0) {
        say(&s, "GnuTLS has no RC4 here (needed by [MS-LSAD] to carry the trust password)");
        goto done;
    }
    const int enc = gnutls_cipher_encrypt(rc4, blob, trust->passwords_len);
    gnutls_cipher_deinit(rc4);
    if (enc != 0) {
        say(&s, "cannot encrypt the trust password blob");
        goto done;
    }

    struct dom_sid sid;
    struct lsa_TrustDomainInfoInfoEx info;
    memset(&info, 0, sizeof info);
    info.domain_name.string = trust->realm;
    info.netbios_name.string = trust->realm;
    if (trust->sid != NULL) {
        if (!parse_sid(trust->sid, &sid)) {
            say(&s, "--sid %s is not a SID", trust->sid);
            goto done;
        }
        info.sid = &sid;
    }
    info.trust_direction = trust->direction;
    info.trust_type = (enum lsa_TrustType)trust->type;
    info.trust_attributes = trust->attributes;
    struct lsa_TrustDomainInfoAuthInfoInternal auth_info;
    auth_info.auth_blob.size = (uint32_t)trust->passwords_len;
    auth_info.auth_blob.data = blob;
    struct policy_handle trust_handle;
    struct lsa_CreateTrustedDomainEx2 c;
    memset(&c, 0, sizeof c);
    c.in.policy_handle = &s.policy;
    c.in.info = &info;
    c.in.auth_info_internal = &auth_info;
    c.in.access_mask = TRUSTED_ACCESS;
    c.out.trustdom_handle = &trust_handle;
    if (!call(&s, "lsa_CreateTrustedDomainEx2", &c, &c.out.result,
              replaced ? "LSA CreateTrustedDomainEx2 (the old trust of that name was deleted first and is gone)"
                       : "LSA CreateTrustedDomainEx2"))
        goto done;

    union lsa_TrustedDomainInfo enc_info;
    memset(&enc_info, 0, sizeof enc_info);
    enc_info.enc_types.enc_types = trust->enctypes;
    struct lsa_SetInformationTrustedDomain set;
    memset(&set, 0, sizeof set);
    set.in.trustdom_handle = &trust_handle;
    set.in.level = LSA_TRUSTED_DOMAIN_SUPPORTED_ENCRYPTION_TYPES;
    set.in.info = &enc_info;
    if (!call(&s, "lsa_SetInformationTrustedDomain", &set, &set.out.result,
              "LSA SetInformationTrustedDomain (encryption types; the trust was created)"))
        goto done;
    result = GPOKIT_LSA_OK;
done:
    talloc_free(s.mem);
    return result;
}

int gpokit_lsa_delete_trust(const char *host, const struct gpokit_lsa_auth *auth, const char *realm, char *error,
                            size_t error_size)
{
    struct session s = {talloc_new(NULL), NULL, {0}, error, error_size};
    int result = GPOKIT_LSA_ERROR;
    if (!open_session(&s, host, auth))
        goto done;
    struct policy_handle trust_handle;
    const int found = open_trust(&s, realm, &trust_handle);
    if (found < 0)
        goto done;
    if (found == 0) {
        result = GPOKIT_LSA_MISSING;
        goto done;
    }
    if (delete_object(&s, &trust_handle))
        result = GPOKIT_LSA_OK;
done:
    talloc_free(s.mem);
    return result;
}
