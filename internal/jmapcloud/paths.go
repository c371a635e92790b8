package jmapcloud

import (
	"net/url"
	"strconv"
)

// Every path the client calls lives in this file. The API-key and members paths are
// assumptions ([A] in API.md): the first contact with the real service corrects them here.

const securityService = "/api/ss/rest/v1"

func pathAuthenticate() string { return securityService + "/authenticate" }
func pathUserSelf() string     { return securityService + "/users/self" }
func pathRefreshToken() string { return securityService + "/refresh-token" }
func pathRevokeToken() string  { return securityService + "/revoke-token" }

// pathOrg refuses an organization ID that is not a plausible identifier, as pathAPIKey does
// a key ID: the ID comes from the server's users/self answer (saved at login) or from --org,
// and ".." would make DELETE …/organizations/../api-keys/ID.
func pathOrg(org string) (string, error) {
	if !validID(org) {
		return "", &InvalidIDError{What: "organization", ID: org}
	}
	return securityService + "/organizations/" + url.PathEscape(org), nil
}

// CheckOrganizationID is the rule pathOrg applies, for callers that want to refuse an
// organization ID given by the user before anything else is done: nil, or an *InvalidIDError.
func CheckOrganizationID(org string) error {
	_, err := pathOrg(org)
	return err
}

func pathUnderOrg(org, rest string) (string, error) {
	p, err := pathOrg(org)
	return p + rest, err
}

func pathMemberSelf(org string) (string, error) { return pathUnderOrg(org, "/members/self") }
func pathMembers(org string) (string, error)    { return pathUnderOrg(org, "/members") }
func pathAPIKeys(org string) (string, error)    { return pathUnderOrg(org, "/api-keys") }

// pathAPIKey refuses an ID that is not a plausible identifier: a key ID comes from the
// server's answer, and ".." would make DELETE …/api-keys/.. (a different resource once a
// proxy or the server normalises the path).
func pathAPIKey(org, id string) (string, error) {
	if !validID(id) {
		return "", &InvalidIDError{What: "API key", ID: id}
	}
	keys, err := pathAPIKeys(org)
	return keys + "/" + url.PathEscape(id), err
}

func pathAPIKeyResources(org, id string) (string, error) {
	p, err := pathAPIKey(org, id)
	return p + "/resources", err
}

// maxIDLength bounds an ID; a UUID is 36 characters.
const maxIDLength = 128

// validID is the rule for an ID placed in a path: 1 to maxIDLength ASCII letters, digits and
// - _ . : ~ (so nothing that escaping would change: no '/', '\', '?', '#', '%', space or
// control character), and neither "." nor "..".
func validID(id string) bool {
	if id == "" || len(id) > maxIDLength || id == "." || id == ".." {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '_', c == '.', c == ':', c == '~':
		default:
			return false
		}
	}
	return true
}

// queryPage asks for one page; a server that does not page ignores it and answers an array.
func queryPage(page, size int) url.Values {
	return url.Values{"page": {strconv.Itoa(page)}, "size": {strconv.Itoa(size)}}
}

// queryTransferTo names the member who inherits a deleted key's resources.
func queryTransferTo(memberID string) url.Values {
	if memberID == "" {
		return nil
	}
	return url.Values{"transferTo": {memberID}}
}
