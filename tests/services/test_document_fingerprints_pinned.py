"""The official documents of the demo keep their content through refactors (issue 15: "the procesverbaal
of every demo session is byte-identical in content (same fingerprint) before and after").

The values below were captured on main before the typed session events and the incident projection
(`python -m tests.fingerprint_support` prints them), and captured again once after the register rules
(issue 12) added demo sessions and made the annual report's validity verdicts follow seed 000, and once
after the incident rules and documents as the sources write them (issue 12, branch desk): the reviewed
catalogue (category names, bijzonderheden, the route as the desk has it, the commission's reclassifications
on the procesverbaal), point 11b from one function (an unwell candidate who went on counts; a stopped one has
no end time), the commission's correction and withdrawal after closing in the documents demo, letters citing
their own case and appeal route, the Inspectie form's question 2 as a number and its period check, the annual
report's Dutch numbers, policy part and per-case counts. Fifteen letters are gone: the demo no longer decides
on the platform outage that was a bijzonderheid (it reclassifies it) nor on the noise. Sessions without
incidents and the period without incidents are unchanged. A document whose content changes on purpose is
captured again in the same commit, with the reason in the commit message. Captured again for issue 13: the three
point-8 letters now state the hearing and the members who confirmed with their own login, and the Rekenen 2F
procesverbaal lists the group-app screenshot with its SHA-256. Captured again for issue 14 (branch issued): the
procesverbaal lists its candidates (the end-time table, accommodations, absentees and the names in one cell) in
Dutch name order instead of by workstation — seven procesverbalen whose two orders differ changed; the Dutch
plurals changed no pinned document (no count of one in a fingerprinted field of the demo). Two more procesverbaal pins
changed when a person's registrations running into other days were shown with their dates ('19-11-2026 10:50 –
26-11-2026 14:02', not '10:50–14:02')."""

from __future__ import annotations

from pathlib import Path

from tests.fingerprint_support import demo_fingerprints

PINNED: dict[str, str] = {
    'besluit 03a99e9b-8288-42b8-96f0-2c405ad8cef5': 'f308bfc39b39e1614fb401018a848d448576be1d2be9231e506733cd03e2dfe5',
    'besluit 08ba00f8-90a9-4cb2-99ec-322be14259af': '93f2eb1503ff9b4626b9ab8fa2e903316ee3ec1365c5a05713ded80c590cb7c0',
    'besluit 1e152338-5d18-4458-8045-ebd3eb3d1532': '5edd23d78e0ec92424721e637f8e90b8c07655cd3a0fa59a51d0f301465f8477',
    'besluit 75376e9d-d5be-4ebe-b1a8-cf8a44d031b7': 'ed5eb0f602a7bc5443d95fe5f8d8664843e0f3ce8f8fb8e46250d38923715f6c',
    'besluit 7feac90b-7f70-4e28-83d3-7fe23fe39ff0': '7171b26dce58b9a95a673e7c608e707c10d510e507641c25a5d72aa6611b6765',
    'besluit 8dd2cbf3-830c-4477-855a-4e6874339643': '2d15f01f80df43f13d721a788e16d76727289effa9bb58a4acdb3c545b448161',
    'incidenten van=2024-08-01;tot=2025-07-31': 'geen document',
    'incidenten van=2025-08-01;tot=2026-07-31': '7cde4996e3c41a6debd80de8fbf9f35af6c8b09ec6e3d4e2b7068af5a6b53c47',
    'incidenten van=2026-02-09;tot=2026-03-11': '3794e99960c9d54e05555923dfd37112456730d684bd0e73df30bf75dd04b20d',
    'inspectie 113d29e6-d4a1-49a0-9742-a05b1dfea4cb': '282f80ce2f0681e916d42edaf201d6b0ab868f75a31c2f2dea814eac6828bcb3',
    'inspectie 3d31de5a-e8c3-4569-998d-fcb1fef1b355': '4ed7ddf41af00daf2ae2f9d14cd97d30142debe5b55f4f37f335076368389ecb',
    'inspectie 6fb9c009-5cda-4c17-8324-d2bf542f230f': '09a84df1c18f3db40df690205986da0602ba3ae0696b6b1893f4d29334b805f7',
    'inspectie c17a3b4b-5316-4026-beaa-80ef6e7bbf47': '0130e54c7209c6f61096533841568e99976357e0124f795905f1a79f1c48f794',
    'jaarverslag 2025-2026': '5ede0ca75ba1e5a2305e9659cdfa377ffdb8970e93a3211d085ae363a95d0cee',
    'procesverbaal 11fa61d5-b55f-4bca-9843-3d02bdc70765': '05f9dd562a5c4d221e06a5ea79ff4e4dfae0a5643932e57415ac31742dc1eed3',
    'procesverbaal 2012ca90-9fda-4742-b2b8-31afb59852b7': '520e784a714473aee799e1d0178829d7dc2fa3def210ceff49cbb3c4ace2a018',
    'procesverbaal 38de0ab1-c294-4722-8b22-25dc75a08b75': '55caa1bcf20ef371b94d124d09c71186f0621adbf8be44f09a3c20fae2fe2368',
    'procesverbaal 3a49b48e-18a7-46c8-95e7-bd28ae048c2c': 'b32750d27027c89763b462417e0e29c4ab8cea2327b3d210314cb81ca253ed99',
    'procesverbaal 6b2f39ad-87b1-4370-b2ee-1eafdea0fed3': '9c10a136e4e373934a63c20004e260ed3cc9a55e974e1e8e2efd52d1d59aadd4',
    'procesverbaal 6c15d07e-ddc8-44b4-a12c-1f65aa6eef46': '39236547d5505ac70fe4eb05b3a76ffd805ea0092ef328fe2bbaad5341c8ea42',
    'procesverbaal 7c4af5d7-3b4f-4658-a23b-70c68ca85195': '7cd3d11b4065d74724aac8f4b9d518901bceb8289d9918b204df061d374d40dd',
    'procesverbaal 957968d6-2a62-488d-b420-80e9ef3c7491': '440a0b7637821c8889d455837c6cc0590ed39d8a7d3de70915452a8d65f5ce14',
    'procesverbaal b64ff3a0-9878-4250-9977-3f27bd5f2150': '431b516f0f58a7161c0c83a0f807a434335f3c135e0989cd2218d763d7fd6a20',
    'procesverbaal e33b03ff-faa4-4a03-89c0-6129bddf612c': '6173505f6a31a5b1c581019f1897328c012dc446108359d426f205d5f8200a06',
    'procesverbaal e963f021-62c6-4539-8c97-18f29ecbdd1c': '2f65e4abc7df59f2bacc5be3bb112fc09bdb22aeeb4473da2335b94dd28d1f7a',
}


def test_every_document_of_the_demo_keeps_its_fingerprint(tmp_path: Path):
    found = demo_fingerprints(tmp_path)
    changed = {key: value for key, value in found.items() if PINNED.get(key) != value}
    missing = sorted(set(PINNED) - set(found))
    assert not changed and not missing, (
        f"changed or new: {sorted(changed)}; no longer there: {missing}")


def test_the_pin_covers_every_kind_of_document_the_demo_has():
    kinds = {key.split(" ", 1)[0] for key, value in PINNED.items() if value != "geen document"}
    assert kinds == {"procesverbaal", "inspectie", "besluit", "jaarverslag", "incidenten"}
    assert sum(key.startswith("procesverbaal ") for key in PINNED) >= 9
