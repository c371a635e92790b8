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

func pathOrg(org string) string {
	return securityService + "/organizations/" + url.PathEscape(org)
}

func pathMemberSelf(org string) string { return pathOrg(org) + "/members/self" }
func pathMembers(org string) string    { return pathOrg(org) + "/members" }
func pathAPIKeys(org string) string    { return pathOrg(org) + "/api-keys" }

func pathAPIKey(org, id string) string { return pathAPIKeys(org) + "/" + url.PathEscape(id) }

func pathAPIKeyResources(org, id string) string { return pathAPIKey(org, id) + "/resources" }

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
