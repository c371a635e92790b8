package sandbox

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

const day = 24 * time.Hour

var seedOrg = orgRecord{ID: "76ba117c-63e9-4b5e-82ce-01862e86eebf", Name: "Acme Geospatial", Slug: "acme-geospatial"}

type seedUser struct {
	id, name, email string
	roles           []string // nil: the user belongs to no organization
	groups          []string
}

var (
	userAda   = seedUser{"2558263b-82f3-4bde-86c1-a0a56b7b090d", "Ada Admin", AdminEmail, additiveRoles(roleAdmin), []string{"Administrators", "GIS team"}}
	userOscar = seedUser{"c25f895f-c64d-448d-927a-014ae247dde3", "Oscar Ops", "ops@acme.example", additiveRoles(roleAdmin), []string{"Administrators", "IT operations"}}
	userEddie = seedUser{"d9c74c01-7a25-4aad-809d-908e331fb591", "Eddie Editor", "eddie@acme.example", additiveRoles(roleEditor), []string{"GIS team"}}
	userErin  = seedUser{"16dd40ec-f1d0-43b5-b5b4-062dca2011f1", "Erin Editor", "erin@acme.example", additiveRoles(roleEditor), []string{"Field operations"}}
	userVera  = seedUser{"9781f198-775c-4ee0-b10b-91646df5fee0", "Vera Viewer", "vera@acme.example", additiveRoles(roleViewer), []string{}}
	userNora  = seedUser{"a20018a2-6af2-4129-99a9-da611ff23fe0", "Nora Nomad", "nora@elsewhere.example", nil, nil}

	seedUsers = []seedUser{userAda, userOscar, userEddie, userErin, userVera, userNora}
)

type seedResource struct{ id, typ, name string }

type seedKey struct {
	id, title, role string
	creator         seedUser
	createdDays     int // days before the seeding time
	expiresDays     int // days after the seeding time (negative: already expired)
	resources       []seedResource
}

var seedKeys = []seedKey{
	{"e826ce94-f943-40de-8b1c-129df0d17111", "GeoServer sync", roleEditor, userAda, 200, 165, []seedResource{
		{"7fc8da11-7dc2-49a2-a459-0f42357f4954", "DATASOURCE", "Hydrography (PostGIS)"},
		{"11edc6df-d26e-4590-8e95-1ea3b6af9c80", "LAYER", "Rivers and lakes"},
		{"38ba5164-823e-4003-87d6-7744668f97d7", "LAYER", "Watersheds"},
		{"24bd8a78-19bc-43d5-af0a-cc969fde5d07", "TABLE", "Gauge stations"},
	}},
	{"39d2a9c9-a9fb-437a-8d51-8e26de33d0b0", "Field app — Android", roleViewer, userAda, 90, 275, nil},
	{"3fa6fcec-ef4e-4496-96a8-b368209d03cf", "QGIS plugin", roleEditor, userOscar, 60, 20, []seedResource{
		{"70dac892-0f5a-4fde-a9e7-49769bebcdd5", "PROJECT", "Flood risk 2025"},
		{"22f751ee-2d1b-4275-8b44-3c7db72de33c", "LAYER", "Flood zones (100-year)"},
	}},
	{"f2d54b46-ab89-43ac-8859-79f2d1cb591d", "Legacy ETL", roleEditor, userOscar, 400, -35, []seedResource{
		{"30fb6b51-1070-467b-807d-ccdb2739bf2d", "DATASOURCE", "Legacy parcels (shapefile)"},
		{"3ab6e4fe-a4bc-412f-a997-5b62a4d226ce", "TABLE", "Parcel owners"},
	}},
	{"9300789f-0dc4-42cd-85b3-76c5a9b87b7d", "Public web map (Montréal)", roleViewer, userAda, 30, 730, nil},
	{"b5f154a9-6f63-40f3-8741-561272b26b95", "CI pipeline", roleEditor, userAda, 10, 3650, []seedResource{
		{"c1c197c2-3dce-4a73-a7bd-08c15340fcf2", "DATASOURCE", "CI test fixtures"},
		{"22567b4d-be50-4de2-9104-541c98ef47a9", "PROJECT", "CI smoke test"},
		{"e6ce0214-909f-4a39-b083-deab33c704fc", "LAYER", "CI sample points"},
		{"6acd031e-40b6-4717-99d4-acf182291399", "TABLE", "CI attribute checks"},
	}},
	{"586b309e-c64b-444e-91c4-27a663514d1c", "Partner feed — CityData", roleViewer, userOscar, 120, 7, nil},
	{"0e3b9bf1-5721-41d3-8628-9f2672235fef", "Tableau dashboard", roleViewer, userAda, 365, -1, nil},
	{"a71470f8-190d-4957-85a4-080bf5b9acdb", "Drone imagery upload", roleEditor, userAda, 45, 90, []seedResource{
		{"72a755d3-4b0d-4d3f-86b7-7307d04ad4d2", "DATASOURCE", "Drone orthophotos 2025"},
		{"0f220839-ccae-4598-aca7-21867b0e6908", "LAYER", "Orthophoto mosaic"},
	}},
	{"bbbe313b-41dd-463c-95f4-e437d004de68", "Power BI connector", roleViewer, userAda, 80, 100, nil},
	{"d8158cb8-613f-40cc-b0c4-e56a007ef53d", "Power BI connector", roleEditor, userOscar, 5, 360, []seedResource{
		{"ee3ee63b-5e66-4ee9-b036-4bbb84fa6ed7", "TABLE", "Sales territories"},
	}},
}

var seedMemberResources = []struct {
	owner seedUser
	res   seedResource
}{
	{userEddie, seedResource{"d5ce2453-accc-4bb1-b161-6501433c4827", "PROJECT", "Montréal basemap"}},
	{userEddie, seedResource{"7165c7f4-a1ca-4e88-9850-015911eb389b", "DATASOURCE", "Parcels 2024"}},
	{userErin, seedResource{"6e61c278-8166-4b5a-b20a-e9b7dd3deb6a", "LAYER", "Bike lanes"}},
	{userErin, seedResource{"d2f5b554-b8b5-418e-8377-1205a424f7f7", "TABLE", "Street furniture inventory"}},
	{userAda, seedResource{"6d682cdd-f4df-4eb5-b6c8-19a602c6d8e3", "DATASOURCE", "Municipal boundaries"}},
}

// Generated keys (Reset's extra keys) cycle through these.
var (
	genTitles        = []string{"Batch loader", "Sensor gateway", "Report job", "Tile cache", "Mobile app", "Sync agent", "Import bot", "Webhook relay"}
	genCreators      = []seedUser{userAda, userOscar}
	genResourceTypes = []string{"DATASOURCE", "PROJECT", "LAYER", "TABLE"}
)

// resetBatch is how many generated keys one transaction writes: large enough that Reset of
// 100 000 keys takes a handful of commits, small enough to bound a transaction's memory.
const resetBatch = 25000

// Reset restores the seeded organization, then adds extra generated keys whose ids, titles,
// roles and creators depend only on their index (dates are relative to now; about one in
// thirteen is expired; one in ten owns a resource). Sessions and tokens are kept. The seed
// is restored in one transaction; the generated keys follow in batches, in id order.
func (s *Sandbox) Reset(extra int) error {
	if extra < 0 {
		return fmt.Errorf("cannot generate %d keys: the count must not be negative", extra)
	}
	// Listings wait for the whole reset, then rebuild their index from the new keys.
	s.keyIndex.mu.Lock()
	defer s.keyIndex.mu.Unlock()
	s.keyIndex.reset()
	t0 := s.now().Truncate(time.Second)
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range allBuckets {
			if tx.Bucket(name) != nil && isSeedBucket(name) {
				if err := tx.DeleteBucket(name); err != nil {
					return err
				}
			}
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return writeSeed(tx, t0)
	})
	if err != nil {
		return fmt.Errorf("resetting the sandbox: %w", err)
	}
	if extra == 0 {
		return nil
	}

	keys, resources := generate(extra, t0)
	for start := 0; start < len(keys); start += resetBatch {
		end := min(start+resetBatch, len(keys))
		err := s.db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketKeys)
			b.FillPercent = 1 // ids arrive in increasing order: pack pages full
			for _, k := range keys[start:end] {
				if err := put(b, orgKey(k.OrgID, k.ID), k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("resetting the sandbox: generating keys: %w", err)
		}
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		for _, r := range resources {
			if err := putResource(tx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("resetting the sandbox: generating resources: %w", err)
	}
	return nil
}

func isSeedBucket(name []byte) bool {
	for _, b := range seedBuckets {
		if string(b) == string(name) {
			return true
		}
	}
	return false
}

// writeSeed writes the fixed organization into freshly emptied buckets.
func writeSeed(tx *bolt.Tx, t0 time.Time) error {
	meta := tx.Bucket(bucketMeta)
	if err := meta.Put(metaVersion, []byte(formatVersion)); err != nil {
		return err
	}
	if err := meta.Put(metaSeededAt, []byte(t0.Format(time.RFC3339))); err != nil {
		return err
	}
	if err := put(tx.Bucket(bucketOrgs), []byte(seedOrg.ID), seedOrg); err != nil {
		return err
	}
	pw := digest(Password)
	for _, u := range seedUsers {
		if err := put(tx.Bucket(bucketUsers), []byte(u.id), userRecord{ID: u.id, Name: u.name, Email: u.email, PasswordSHA256: pw}); err != nil {
			return err
		}
		if u.roles == nil {
			continue
		}
		m := memberRecord{ID: u.id, OrgID: seedOrg.ID, Name: u.name, Email: u.email, Roles: u.roles, Groups: u.groups}
		if err := put(tx.Bucket(bucketMembers), orgKey(seedOrg.ID, u.id), m); err != nil {
			return err
		}
	}
	for _, k := range seedKeys {
		rec := keyRecord{
			ID:        k.id,
			OrgID:     seedOrg.ID,
			Title:     k.title,
			Role:      k.role,
			Email:     keyEmail(k.id, seedOrg.Slug),
			CreatedBy: k.creator.name,
			Created:   millis(t0.Add(-time.Duration(k.createdDays) * day)),
			Expires:   millis(t0.Add(time.Duration(k.expiresDays) * day)),
			// Seeded keys have a secret nobody knows, as real keys whose creation dialog closed.
			SecretSHA256: digest(newKeySecret()),
		}
		if err := putKey(tx, rec); err != nil {
			return err
		}
		for _, r := range k.resources {
			if err := putResource(tx, resourceRecord{ID: r.id, Type: r.typ, Name: r.name, OwnerKind: ownerAPIKey, OwnerID: k.id}); err != nil {
				return err
			}
		}
	}
	for _, mr := range seedMemberResources {
		r := resourceRecord{ID: mr.res.id, Type: mr.res.typ, Name: mr.res.name, OwnerKind: ownerMember, OwnerID: mr.owner.id}
		if err := putResource(tx, r); err != nil {
			return err
		}
	}
	return nil
}

// generate builds n generated keys, sorted by their storage key, and their resources.
// Generated keys have no secret, so they cannot authenticate.
func generate(n int, t0 time.Time) ([]keyRecord, []resourceRecord) {
	keys := make([]keyRecord, n)
	var resources []resourceRecord
	for i := range n {
		id := derivedUUID("key", i)
		role := roleViewer
		if i%3 == 0 {
			role = roleEditor
		}
		// Expiry spreads over [-60, +739] days: about 7.5% expired, 3.75% within 30 days.
		expiresDays := (i*37)%800 - 60
		if expiresDays == 0 {
			expiresDays = 1
		}
		expires := t0.Add(time.Duration(expiresDays) * day)
		created := t0.Add(-time.Duration((i*7)%700+1)*day - time.Duration(i%24)*time.Hour)
		if latest := expires.Add(-30 * day); created.After(latest) {
			created = latest
		}
		keys[i] = keyRecord{
			ID:        id,
			OrgID:     seedOrg.ID,
			Title:     genTitles[i%len(genTitles)] + " #" + strconv.Itoa(i+1),
			Role:      role,
			Email:     keyEmail(id, seedOrg.Slug),
			CreatedBy: genCreators[i%len(genCreators)].name,
			Created:   millis(created),
			Expires:   millis(expires),
		}
		if i%10 == 0 {
			typ := genResourceTypes[(i/10)%len(genResourceTypes)]
			resources = append(resources, resourceRecord{
				ID:        derivedUUID("resource", i),
				Type:      typ,
				Name:      fmt.Sprintf("Generated %s %d", typeNoun(typ), i+1),
				OwnerKind: ownerAPIKey,
				OwnerID:   id,
			})
		}
	}
	sort.Slice(keys, func(a, b int) bool { return keys[a].ID < keys[b].ID })
	return keys, resources
}

func typeNoun(typ string) string {
	switch typ {
	case "DATASOURCE":
		return "data source"
	case "PROJECT":
		return "project"
	case "LAYER":
		return "layer"
	}
	return "table"
}
