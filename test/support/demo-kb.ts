/**
 * A small demo knowledge base of a Dutch bicycle webshop, in Dutch and English, used by the answer-bot
 * evaluation and the widget browser test. `key` ties the NL and EN versions together.
 */
export interface DemoArticle {
  key: string;
  locale: 'nl' | 'en';
  title: string;
  body: string;
}

export const demoKb: DemoArticle[] = [
  { key: 'returns', locale: 'nl', title: 'Een bestelling retourneren', body: 'U kunt uw bestelling binnen 30 dagen gratis terugsturen. Meld de retour aan via **Mijn account → Retouren**, print het retourlabel en lever het pakket in bij een PostNL-punt. Het geld staat binnen 5 werkdagen na ontvangst terug op uw rekening.' },
  { key: 'returns', locale: 'en', title: 'Returning an order', body: 'You can send your order back for free within 30 days. Register the return in **My account → Returns**, print the return label and drop the parcel at a PostNL point. The refund reaches your account within 5 working days after we receive it.' },
  { key: 'delivery', locale: 'nl', title: 'Levertijd en verzending', body: 'Op werkdagen voor 22:00 besteld is morgen in huis. Verzending is gratis vanaf 50 euro. U krijgt een track-and-trace-code per e-mail zodra het pakket onderweg is.' },
  { key: 'delivery', locale: 'en', title: 'Delivery time and shipping', body: 'Ordered on a working day before 22:00, delivered tomorrow. Shipping is free from 50 euros. You get a track-and-trace code by e-mail as soon as the parcel is on its way.' },
  { key: 'payment', locale: 'nl', title: 'Betaalmethoden', body: 'U kunt betalen met iDEAL, creditcard (Visa, Mastercard), PayPal of achteraf met Klarna. Betalen in termijnen kan bij fietsen vanaf 500 euro.' },
  { key: 'payment', locale: 'en', title: 'Payment methods', body: 'You can pay with iDEAL, credit card (Visa, Mastercard), PayPal or afterwards with Klarna. Paying in instalments is possible for bikes from 500 euros.' },
  { key: 'warranty', locale: 'nl', title: 'Garantie en reparatie', body: 'Op het frame geven we 10 jaar garantie, op onderdelen en de accu 2 jaar. Is er iets kapot? Meld een garantieclaim aan met een foto van het defect; we halen de fiets gratis op voor reparatie.' },
  { key: 'warranty', locale: 'en', title: 'Warranty and repairs', body: 'The frame has a 10-year warranty, parts and the battery 2 years. Something broken? Submit a warranty claim with a photo of the defect; we collect the bike for repair free of charge.' },
  { key: 'battery', locale: 'nl', title: 'Accu opladen en onderhoud', body: 'Laad de accu van uw e-bike op bij kamertemperatuur. Een volle lading duurt ongeveer 4 uur. Bewaar de accu in de winter binnen, half opgeladen. De actieradius is 60 tot 120 kilometer.' },
  { key: 'battery', locale: 'en', title: 'Charging and caring for the battery', body: 'Charge your e-bike battery at room temperature. A full charge takes about 4 hours. Keep the battery indoors in winter, half charged. The range is 60 to 120 kilometres.' },
  { key: 'account', locale: 'nl', title: 'Wachtwoord vergeten of account wijzigen', body: 'Wachtwoord vergeten? Klik op de inlogpagina op "Wachtwoord vergeten" en u krijgt een e-mail met een link om een nieuw wachtwoord te kiezen. Uw adres en e-mailadres wijzigt u onder Mijn account → Gegevens.' },
  { key: 'account', locale: 'en', title: 'Forgot your password or change your account', body: 'Forgot your password? Click "Forgot password" on the login page and you get an e-mail with a link to choose a new password. Change your address and e-mail address under My account → Details.' },
  { key: 'cancel', locale: 'nl', title: 'Bestelling annuleren of wijzigen', body: 'Zolang uw bestelling nog niet verzonden is, kunt u haar annuleren of wijzigen via Mijn account → Bestellingen. Is het pakket al onderweg? Weiger het dan bij de bezorger of stuur het retour.' },
  { key: 'cancel', locale: 'en', title: 'Cancelling or changing an order', body: 'As long as your order has not shipped, you can cancel or change it in My account → Orders. Already on its way? Refuse the parcel at the door or send it back.' },
  { key: 'size', locale: 'nl', title: 'Welke framemaat past bij mij?', body: 'De juiste framemaat hangt af van uw lichaamslengte en binnenbeenlengte. Tot 1,70 meter past meestal maat S (50 cm), tot 1,85 meter maat M (54 cm) en daarboven maat L (58 cm). Proefrijden kan in onze winkel in Utrecht.' },
  { key: 'size', locale: 'en', title: 'Which frame size fits me?', body: 'The right frame size depends on your height and inside leg length. Up to 1.70 metres usually size S (50 cm), up to 1.85 metres size M (54 cm) and above that size L (58 cm). Test rides are possible in our shop in Utrecht.' },
  { key: 'shop', locale: 'nl', title: 'Openingstijden en adres van de winkel', body: 'Onze winkel in Utrecht (Oudegracht 120) is open van dinsdag tot en met zaterdag van 9:30 tot 18:00. Parkeren kan in de garage La Vie.' },
  { key: 'shop', locale: 'en', title: 'Shop opening hours and address', body: 'Our shop in Utrecht (Oudegracht 120) is open Tuesday to Saturday from 9:30 to 18:00. You can park in the La Vie garage.' },
  { key: 'invoice', locale: 'nl', title: 'Factuur downloaden', body: 'Uw factuur staat als pdf onder Mijn account → Bestellingen. Zakelijke klanten kunnen een factuur met btw-nummer opvragen; vul uw btw-nummer in bij het afrekenen.' },
  { key: 'invoice', locale: 'en', title: 'Downloading your invoice', body: 'Your invoice is a PDF under My account → Orders. Business customers can request an invoice with a VAT number; enter your VAT number at checkout.' },
];
