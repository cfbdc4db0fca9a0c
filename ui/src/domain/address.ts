// Most parties of a village's disputes live in that village, so the address
// field starts with the village's own name: the mediator types only "三组".

const COMMITTEE = /(人民调解委员会|调解委员会|调委会|调解室|调解中心|村民委员会|居民委员会|村委会|居委会)$/
const PLACE = /(村|社区|居)$/

/**
 * The place a level-1 unit is named after ("青山村" for 青山村调解室), or ''
 * when the name does not end in a village or community, or the unit is
 * above level 1 (a police station's parties come from many villages).
 */
export function homePlace(unitName: string, level: number | null | undefined): string {
  if (level !== 1) return ''
  const place = unitName.trim().replace(COMMITTEE, '')
  return place !== unitName.trim() && PLACE.test(place) ? place : ''
}

/** The address as it should be when the field is entered: the place, if still empty. */
export function addressOnFocus(address: string, place: string): string {
  return address.trim() === '' && place ? place : address
}

/** And when it is left: the place alone, with nothing added, is no address. */
export function addressOnBlur(address: string, place: string): string {
  return place && address.trim() === place ? '' : address
}
