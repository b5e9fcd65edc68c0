import { describe, expect, it } from "vitest";

import { patientSearchWhere } from "./patientSearch";

describe("patientSearchWhere", () => {
  it("NeedsTwoCharacters", () => {
    expect(patientSearchWhere(" a ")).toBeNull();
  });

  it("MatchesEveryWordAgainstNamesAndMRN", () => {
    expect(patientSearchWhere("grace  ADEYEMI")).toEqual({
      and: [
        { or: [{ givenNameContainsFold: "grace" }, { familyNameContainsFold: "grace" }, { mrnContainsFold: "grace" }] },
        { or: [{ givenNameContainsFold: "ADEYEMI" }, { familyNameContainsFold: "ADEYEMI" }, { mrnContainsFold: "ADEYEMI" }] },
      ],
    });
  });

  it("TreatsNumbersAsAPhoneWithoutTheTrunkPrefix", () => {
    expect(patientSearchWhere("07700 900-123")).toEqual({ phoneContains: "7700900123" });
    expect(patientSearchWhere("+44 7700 900123")).toEqual({ phoneContains: "447700900123" });
  });

  it("TreatsMRNsWithLettersAsWords", () => {
    expect(patientSearchWhere("MRN-10017")).toEqual({
      and: [{ or: [{ givenNameContainsFold: "MRN-10017" }, { familyNameContainsFold: "MRN-10017" }, { mrnContainsFold: "MRN-10017" }] }],
    });
  });
});
