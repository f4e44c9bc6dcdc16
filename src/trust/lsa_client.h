/* The C side of creating and deleting a realm trust through LSA over SMB, with Samba's
 * public DCE/RPC client libraries (libdcerpc, libndr-standard). Samba's credentials
 * header does not compile as C++, so this part is C behind a small interface. Every
 * call is made with dcerpc_binding_handle_call and the opnum found by name in
 * ndr_table_lsarpc: the generated client stubs are private to Samba. */
#ifndef GPOKIT_TRUST_LSA_CLIENT_H
#define GPOKIT_TRUST_LSA_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gpokit_lsa_auth {
    const char *user;     /* NULL: Kerberos with the ticket cache */
    const char *password; /* for user */
};

struct gpokit_lsa_trust {
    const char *realm; /* Name = FlatName */
    const char *sid;   /* "S-1-5-21-..." or NULL (none: what Windows takes for a non-Windows realm) */
    uint32_t type, direction, attributes, enctypes;
    const unsigned char *passwords; /* trustDomainPasswords ([MS-LSAD] 2.2.7.16), not yet encrypted; */
    size_t passwords_len;           /* its first 512 bytes are replaced by random ones */
};

enum gpokit_lsa_result {
    GPOKIT_LSA_OK = 0,
    GPOKIT_LSA_EXISTS = 1,   /* create: a trust of that name exists (and replace was not asked) */
    GPOKIT_LSA_MISSING = 2,  /* delete: no trust of that name */
    GPOKIT_LSA_ERROR = -1    /* `error` holds the reason, with the NTSTATUS name */
};

int gpokit_lsa_create_trust(const char *host, const struct gpokit_lsa_auth *auth, const struct gpokit_lsa_trust *trust,
                            int replace, char *error, size_t error_size);
int gpokit_lsa_delete_trust(const char *host, const struct gpokit_lsa_auth *auth, const char *realm, char *error,
                            size_t error_size);

#ifdef __cplusplus
}
#endif

#endif
