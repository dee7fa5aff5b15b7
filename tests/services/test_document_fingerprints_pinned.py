"""The official documents of the demo keep their content through refactors (issue 15: "the procesverbaal
of every demo session is byte-identical in content (same fingerprint) before and after").

The values below were captured on main before the typed session events and the incident projection
(`python -m tests.fingerprint_support` prints them), and captured again once after the register rules
(issue 12) added demo sessions and made the annual report's validity verdicts follow seed 000. A document whose content changes on purpose is
captured again in the same commit, with the reason in the commit message."""

from __future__ import annotations

from pathlib import Path

from tests.fingerprint_support import demo_fingerprints

PINNED: dict[str, str] = {
    'besluit 00c32550-935e-487f-b989-78f053feaacc': '707dcb9c9b3bd39ce22c9445563625addce96fc864bdd2aec9828214b4e24e6b',
    'besluit 03a99e9b-8288-42b8-96f0-2c405ad8cef5': '288b28fc4de45daaaf56509def91ed2cb783228495d10e75f6d46d71ab4a8f41',
    'besluit 08573e38-74f4-4b92-bd47-12b914db6622': '5583baa270acfdf10614f5f893ee7e79f6d225bc7de0c4c9ec1172299f90c4ce',
    'besluit 08ba00f8-90a9-4cb2-99ec-322be14259af': 'f5cc7dd5f78781f8a1fe9c8c460fd86e3a38e72f4bf83be664542681c9cf0fcd',
    'besluit 0cf98093-c194-4abd-8282-2e28a87ab800': '28a57758e1ef0ce905186dd5e6e1ae4db3a30c803a40bf61523e50bfad4ce32d',
    'besluit 1e152338-5d18-4458-8045-ebd3eb3d1532': '375c8615de914d1abc36545bdfd92ea740d1a50bcb96bbed971f4f507f8a4015',
    'besluit 27b75196-b84d-44b7-8107-fcce27f1e370': '1c83e1f87fed974225ec55d0894c3b6f08639657aa9cd29e8b611d4e347f5a44',
    'besluit 490900a7-d53d-4a30-934a-cd66c0306ffe': '59a092866f128c0fe5c4d9e74619d92e6f22666b8df7d32e0988a5a64ea4e253',
    'besluit 5ccde436-e6ce-46e5-9609-60b1faa7f0e9': '69695992d8621273a4b6ae3b0de0ceefcc0a665b938dc6c66b16c298a5b06c7f',
    'besluit 75376e9d-d5be-4ebe-b1a8-cf8a44d031b7': '5fee0f7aabcd90dda93378a506aa3974c8a97390514c3b40fe3847ea0b2ec75b',
    'besluit 7feac90b-7f70-4e28-83d3-7fe23fe39ff0': '5ede7a6c215e433c4800e9173abc40a4abf2c539f6d2df80b66c1615726d0ea4',
    'besluit 84d86c92-6bd0-4b9a-8529-3393c42d950f': 'd0eba0dde20e000478b6d8aba30eef620fa9583968dcc669b7b0e3f373643bb1',
    'besluit 8a0a8354-7552-425b-99d8-76dadd3363d6': '3b9fef352a44e9c8b42f833f7170e8f804a329d71c2792c13a573b1d42c429d7',
    'besluit 8dd2cbf3-830c-4477-855a-4e6874339643': '3aa43ec2667e792386960c95cbc661f2638545720eba8c6e3fff1880074a013c',
    'besluit 8f58f4e3-8e15-4319-b44f-b2340ecfed57': '8360478dfb5556cdf9b2b64ae546a4a5b4514287f166d878d38899f13ce1b85b',
    'besluit 95295a96-b8d7-4376-bf13-7568ad62537a': '5d5954e165651e4c0b1e7165681bcd9e18fed7caa70433fd57fcd94425691d1a',
    'besluit 9798d952-b039-47df-8ee4-35b0716614fc': 'fe1d9eb5a216c8bb5326420451b45a8e226f0fe02e945737643963b4ad49ece1',
    'besluit a2c1dccb-fb35-4de4-9fe1-6a5ff3bde864': '54181a5a8898ebe8aaa7e5714e94ba8deb2ff4f31febc1e0c1e2294c69255ec4',
    'besluit a881aae8-0d38-4460-b389-0e3e4e07bcf4': '292ee47a63546421e81d2a1b8bf3c4babfc7252f491d7ecfd96bf884db868326',
    'besluit cf9e48f0-ed28-4bd1-850e-4bfdeeb9b873': 'ed396aade502fbd2299bd3a0a7a90cb23f18b5bee5baae2b7a0f6edef46e24cc',
    'besluit f3ebff2f-1e65-4a16-b909-83074a466c5a': '98e128472c4e1ddacfd90e0b729325e4b1a5a70c2e3f5eec2a58b264142f7a16',
    'incidenten van=2024-08-01;tot=2025-07-31': 'geen document',
    'incidenten van=2025-08-01;tot=2026-07-31': '3d9ae4bd7697fdbb3a016008a20869ea1ec0055689626b6e22c40d6aec1ceaf2',
    'incidenten van=2026-02-09;tot=2026-03-11': 'cffce964bc10e2826b46e5fb06b9278f6c641f5c5b9ad783fc14b1e7a0d569e7',
    'inspectie 113d29e6-d4a1-49a0-9742-a05b1dfea4cb': '04d139301849a6c1ea2d7f3ec1aeaab2202dd6de9f3b8e66cbe04282ff61b017',
    'inspectie 3d31de5a-e8c3-4569-998d-fcb1fef1b355': '501cd8abaefd14b6bfcf268ae180dc480495d14c5f289eb18cc76894a4173032',
    'inspectie 6fb9c009-5cda-4c17-8324-d2bf542f230f': '1a6842146ef1aac28fe575650b4b34c2b6f0a4fe1527f93776b354b9086d9f02',
    'inspectie c17a3b4b-5316-4026-beaa-80ef6e7bbf47': 'bea1c1cafce1c5b98ba37eb4ae32ace0283395e0fa91dbca786ae9a4c1aea8a4',
    'jaarverslag 2025-2026': '1012cf188e14266bae8e4dea9ade6ecb8272ca93fbfdc587a50e81ff0706be03',
    'procesverbaal 11fa61d5-b55f-4bca-9843-3d02bdc70765': '60fe9720c600e544338737df6363fb6b5c1f07cab09549d040234d0c773179dc',
    'procesverbaal 2012ca90-9fda-4742-b2b8-31afb59852b7': '520e784a714473aee799e1d0178829d7dc2fa3def210ceff49cbb3c4ace2a018',
    'procesverbaal 38de0ab1-c294-4722-8b22-25dc75a08b75': '0455e4e624edf37288a465e780c61212c2c37de17e183cceca42490b8746d02f',
    'procesverbaal 3a49b48e-18a7-46c8-95e7-bd28ae048c2c': 'e21b4b403be09b441efc148bb850c97f94f2de8db866e89b412121939e86567f',
    'procesverbaal 6b2f39ad-87b1-4370-b2ee-1eafdea0fed3': '9c10a136e4e373934a63c20004e260ed3cc9a55e974e1e8e2efd52d1d59aadd4',
    'procesverbaal 6c15d07e-ddc8-44b4-a12c-1f65aa6eef46': 'fa057de46b1a4c29c76e154806454448245b1a389d0cade797ada08fba355620',
    'procesverbaal 7c4af5d7-3b4f-4658-a23b-70c68ca85195': 'fc44bc78502cfc92236dc1171d303651686ce2835753f0f6ee2dd010c147dc2e',
    'procesverbaal 957968d6-2a62-488d-b420-80e9ef3c7491': 'aee5f89b153ffca0128ff5fd71c3d8bcd4a1e16e55e0817eda847e0b19ce28a9',
    'procesverbaal b64ff3a0-9878-4250-9977-3f27bd5f2150': 'ca6d837649752ec43e05cd21b72df62e5e978a443906ec8e2a1cdd0eaf540e33',
    'procesverbaal e33b03ff-faa4-4a03-89c0-6129bddf612c': '6173505f6a31a5b1c581019f1897328c012dc446108359d426f205d5f8200a06',
    'procesverbaal e963f021-62c6-4539-8c97-18f29ecbdd1c': '2ae47c733099d363f2f0803902028ceeba2e8c5d3ead3069d71c1c5ab548048b',
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
