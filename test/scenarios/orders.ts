/** A released-ready sales order in the sandbox ERP's own (SAP-like) format. */
export function salesOrder(vbeln: string, overrides: Record<string, unknown> = {}) {
  return {
    VBELN: vbeln,
    KUNNR: 'C-2001',
    KUNNR_NAME: 'Nordwind Retail GmbH',
    WERKS: 'PLANT-1000',
    VSBED: '02',
    VDATU: '20261202',
    WE: {
      NAME1: 'Nordwind Store 14',
      STRAS: 'Hafenstrasse 12',
      ORT01: 'Hamburg',
      PSTLZ: '20457',
      LAND1: 'DE',
    },
    ITEMS: [
      { MATNR: '4006381333931', KWMENG: 24, VRKME: 'ST', BRGEW: 12 },
      { MATNR: '4006381333948', KWMENG: 2, VRKME: 'KAR', BRGEW: 16 },
    ],
    ...overrides,
  };
}
